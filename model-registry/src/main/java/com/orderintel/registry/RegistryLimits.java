package com.orderintel.registry;

import java.util.function.UnaryOperator;

/**
 * Upper bounds on what a store will read, checked against the object's size (file size, S3 content-length)
 * before any byte is read, so a huge or lying object costs a refusal, not the heap. Manifests and alias files
 * share {@code maxManifestBytes}; manifests are also parsed with that many code points at most.
 *
 * <p>From the environment (or same-named system properties, which win): {@code MODEL_REGISTRY_MAX_ARTIFACT_BYTES}
 * (default 256 MiB; our artifacts are under 1 MB) and
 * {@code MODEL_REGISTRY_MAX_MANIFEST_BYTES} (default 1 MiB, at most 4 MiB, the YAML parser's code point limit;
 * our manifests are a few KB).
 */
public record RegistryLimits(long maxArtifactBytes, int maxManifestBytes) {

    public static final RegistryLimits DEFAULT = new RegistryLimits(256L << 20, 1 << 20);

    public RegistryLimits {
        // byte[] holds at most Integer.MAX_VALUE - 8 bytes; the artifact is read into one
        if (maxArtifactBytes < 1 || maxArtifactBytes > Integer.MAX_VALUE - 8 || maxManifestBytes < 1
                || maxManifestBytes > ManifestCodec.MAX_CODE_POINTS) {
            throw new IllegalArgumentException("registry limits must be positive, the artifact's at most "
                    + (Integer.MAX_VALUE - 8) + " bytes, the manifest's at most " + ManifestCodec.MAX_CODE_POINTS
                    + ": artifact " + maxArtifactBytes + ", manifest " + maxManifestBytes);
        }
    }

    public static RegistryLimits fromEnvironment() {
        return fromLookup(name -> {
            String v = System.getProperty(name);
            return v != null ? v : System.getenv(name);
        });
    }

    static RegistryLimits fromLookup(UnaryOperator<String> lookup) {
        long artifact = bytes(lookup, "MODEL_REGISTRY_MAX_ARTIFACT_BYTES", DEFAULT.maxArtifactBytes());
        long manifest = bytes(lookup, "MODEL_REGISTRY_MAX_MANIFEST_BYTES", DEFAULT.maxManifestBytes());
        if (artifact > Integer.MAX_VALUE - 8 || manifest > ManifestCodec.MAX_CODE_POINTS) {
            throw new IllegalArgumentException("MODEL_REGISTRY_MAX_ARTIFACT_BYTES may be at most " + (Integer.MAX_VALUE - 8)
                    + " and MODEL_REGISTRY_MAX_MANIFEST_BYTES at most " + ManifestCodec.MAX_CODE_POINTS + " (got " + artifact
                    + " and " + manifest + ")");
        }
        return new RegistryLimits(artifact, (int) manifest);
    }

    private static long bytes(UnaryOperator<String> lookup, String name, long fallback) {
        String v = lookup.apply(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive number of bytes, not '" + v.strip() + "'");
    }

    /** Refuses a manifest's declared artifact size above the limit, before anything is fetched. */
    void checkArtifactSize(long declared, String what) {
        if (declared > maxArtifactBytes) {
            throw new RegistryException(RegistryException.Reason.TOO_LARGE, what + " is " + declared
                    + " bytes, above the limit of " + maxArtifactBytes + " (MODEL_REGISTRY_MAX_ARTIFACT_BYTES)");
        }
    }

    /** Refuses a manifest or alias file above the limit. */
    void checkManifestSize(long actual, String what) {
        if (actual > maxManifestBytes) {
            throw new RegistryException(RegistryException.Reason.TOO_LARGE, what + " is " + actual
                    + " bytes, above the limit of " + maxManifestBytes + " (MODEL_REGISTRY_MAX_MANIFEST_BYTES)");
        }
    }
}
