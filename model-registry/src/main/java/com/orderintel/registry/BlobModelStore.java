package com.orderintel.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

import static com.orderintel.registry.RegistryException.Reason.CHECKSUM_MISMATCH;
import static com.orderintel.registry.RegistryException.Reason.CONFLICT;
import static com.orderintel.registry.RegistryException.Reason.IO;
import static com.orderintel.registry.RegistryException.Reason.NOT_FOUND;
import static com.orderintel.registry.RegistryException.Reason.TOO_LARGE;

/**
 * The registry, written once over a {@link BlobStore}: the layout, publishing, loading with verification, aliases
 * and their history, listing. The file and S3 stores differ only in the blob store they use.
 *
 * <p>Publishing: the artifact is created before the manifest, both with create-if-absent, so a reader that finds a
 * manifest finds its complete artifact, and of two racing publishers of one version exactly one wins (as atomic as
 * the backend's conditional write). Re-publishing identical content is a no-op; other content under an existing
 * name+version is refused with CONFLICT. An artifact that exists without a manifest (an interrupted publish) is
 * accepted when its sha256 is ours; with another sha256 it is replaced where the blob store's lock keeps out every
 * other writer (the filesystem), else refused (S3: another publish may be running). When the manifest cannot be
 * written, the artifact no manifest names is removed under that same lock, giving its space back.
 *
 * <p>Aliases: read, apply, write with put-if-match; on CONFLICT re-read and re-apply, at most {@link #ALIAS_ATTEMPTS}
 * times with jittered back-off. Each attempt applies the change to the state it read, so a successful write never
 * drops another writer's change on a backend whose conditional writes are atomic. On the filesystem the update also
 * runs under the file lock, so it succeeds on its first attempt.
 *
 * <p>Reads are bounded: manifests and alias files by {@link RegistryLimits#maxManifestBytes()}, artifacts by the
 * manifest's size (itself checked against {@link RegistryLimits#maxArtifactBytes()}) before a byte is read; artifacts
 * are verified against the manifest's size and sha256.
 */
public abstract sealed class BlobModelStore implements ModelStore permits FileSystemModelStore, S3ModelStore {

    /** Attempts of an alias update that meets a concurrent change before it gives up with CONFLICT. */
    static final int ALIAS_ATTEMPTS = 8;
    static final String ALIASES = "aliases";

    private final BlobStore blobs;
    private final RegistryLimits limits;

    BlobModelStore(BlobStore blobs, RegistryLimits limits) {
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public ModelUri publish(ModelManifest manifest, Path artifactFile) {
        byte[] manifestBytes = ManifestCodec.write(manifest);
        verifyArtifactFile(manifest, artifactFile, limits);
        ModelUri uri = new ModelUri(location(), manifest.name(), manifest.version(), null);
        String dir = manifest.version() + "/" + manifest.name() + "/";
        return blobs.locked(aliasKey(manifest.name()), () -> publishOnce(uri, dir, manifest, manifestBytes, artifactFile));
    }

    private ModelUri publishOnce(ModelUri uri, String dir, ModelManifest manifest, byte[] manifestBytes, Path artifactFile) {
        String manifestKey = dir + ManifestCodec.FILE_NAME;
        Optional<ModelManifest> existing = readManifest(manifestKey);
        if (existing.isPresent()) {
            return sameOrConflict(uri, existing.get(), manifest);
        }
        String artifactKey = dir + manifest.artifact().file();
        String sha = manifest.artifact().sha256();
        try {
            blobs.putIfAbsent(artifactKey, artifactFile, sha);
        } catch (RegistryException e) {
            if (e.reason() != CONFLICT) {
                throw e;
            }
            String present = blobs.sha256(artifactKey);
            if (!present.equals(sha)) {
                if (!blobs.lockExcludesWriters()) {
                    throw new RegistryException(CONFLICT, blobs.describe(artifactKey) + " already holds another artifact"
                            + " (sha256 " + present + ", this publish has " + sha + "): another publish of model '"
                            + manifest.name() + "' version '" + manifest.version() + "' is running or was interrupted; if none"
                            + " is running, delete that object and publish again", e);
                }
                blobs.delete(artifactKey); // no publish runs under the lock and no manifest names it: an interrupted one left it
                blobs.putIfAbsent(artifactKey, artifactFile, sha);
            }
        }
        try {
            blobs.putIfAbsent(manifestKey, manifestBytes);
        } catch (RegistryException e) {
            if (e.reason() == CONFLICT) { // another publisher created the manifest first
                return sameOrConflict(uri, readManifest(manifestKey).orElseThrow(() -> e), manifest);
            }
            if (blobs.lockExcludesWriters()) {
                try {
                    blobs.delete(artifactKey); // no manifest names it: nobody can read it, so give the space back
                } catch (RegistryException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return uri;
    }

    private static ModelUri sameOrConflict(ModelUri uri, ModelManifest existing, ModelManifest manifest) {
        if (existing.artifact().sha256().equals(manifest.artifact().sha256())) {
            return uri; // same content published again: idempotent
        }
        throw new RegistryException(CONFLICT, "model '" + manifest.name() + "' version '" + manifest.version()
                + "' is already published with a different artifact (sha256 " + existing.artifact().sha256() + ") at "
                + uri + "; publish under a new version");
    }

    @Override
    public LoadedArtifact load(ModelUri uri) {
        ModelUri exact = resolve(uri);
        ModelManifest manifest = manifest(exact);
        String key = exact.version() + "/" + exact.name() + "/" + manifest.artifact().file();
        String what = "artifact " + blobs.describe(key) + " of " + exact;
        long expected = manifest.artifact().size();
        limits.checkArtifactSize(expected, what);
        // the size is compared before reading (a lying or huge object is refused, not read) and after (one that grew)
        byte[] bytes = blobs.get(key, expected, size -> size == expected ? null : new RegistryException(CHECKSUM_MISMATCH,
                        what + " is corrupted or tampered with: it is " + size + " bytes, the manifest expects " + expected
                                + "; refusing to load it"))
                .orElseThrow(() -> new RegistryException(NOT_FOUND, what + " is missing")).bytes();
        verifyBytes(exact, manifest, bytes);
        return new LoadedArtifact(exact, manifest, bytes);
    }

    @Override
    public ModelManifest manifest(ModelUri uri) {
        ModelUri exact = resolve(uri);
        String key = exact.version() + "/" + exact.name() + "/" + ManifestCodec.FILE_NAME;
        ModelManifest manifest = readManifest(key).orElseThrow(() -> new RegistryException(NOT_FOUND, "no model '" + exact.name()
                + "' version '" + exact.version() + "' in registry " + location() + " (" + blobs.describe(key) + " does not exist)"));
        checkDescribes(manifest, exact, blobs.describe(key));
        return manifest;
    }

    /** Refuses a manifest found under another model's or version's directory (copied or tampered with). */
    static void checkDescribes(ModelManifest manifest, ModelUri exact, String origin) {
        if (!manifest.name().equals(exact.name()) || !manifest.version().equals(exact.version())) {
            throw new RegistryException(RegistryException.Reason.INVALID_MANIFEST, "manifest " + origin
                    + " describes " + manifest.name() + "/" + manifest.version() + ", not " + exact.name() + "/" + exact.version());
        }
    }

    @Override
    public List<ModelVersionInfo> list() {
        List<ModelVersionInfo> out = new ArrayList<>();
        for (String key : blobs.list("")) {
            // <version>/<name>/manifest.yaml, nothing deeper, nothing under aliases/
            if (key.endsWith("/" + ManifestCodec.FILE_NAME) && !key.startsWith(ALIASES + "/") && key.split("/").length == 3) {
                readManifest(key).ifPresent(m -> out.add(new ModelVersionInfo(m.name(), m.version(), m,
                        aliases(m.name()).aliasesOf(m.version()))));
            }
        }
        out.sort(Comparator.comparing(ModelVersionInfo::name)
                .thenComparing((ModelVersionInfo v) -> v.manifest().createdAt(), Comparator.reverseOrder()));
        return List.copyOf(out);
    }

    @Override
    public Optional<String> resolveAlias(String modelName, String alias) {
        ModelNames.check("model name", modelName);
        ModelNames.check("alias", alias);
        return Optional.ofNullable(aliases(modelName).current().get(alias));
    }

    @Override
    public AliasChange promote(String modelName, String alias, String version, String by, String reason) {
        ModelNames.check("alias", alias);
        manifest(new ModelUri(location(), modelName, version, null)); // checks name and version; refuses an unpublished version
        AliasPolicy policy = policy();
        if (policy.guards(alias)) {
            throw policy.refusal(modelName, alias, version, location());
        }
        return updateAliases(modelName, before -> before.promote(alias, version, by, bounded(reason), null), alias).change();
    }

    @Override
    public AliasChange rollback(String modelName, String alias, String by, String reason) {
        ModelNames.check("model name", modelName);
        ModelNames.check("alias", alias);
        return updateAliases(modelName, before -> before.rollback(modelName, alias, by, bounded(reason)), alias).change();
    }

    @Override
    public PromotionRequest requestPromotion(String modelName, String alias, String version, String by, String reason) {
        ModelNames.check("alias", alias);
        manifest(new ModelUri(location(), modelName, version, null));
        String id = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Updated u = updateAliases(modelName, before -> before.request(modelName, new PromotionRequest(id, alias,
                before.current().get(alias), version, by, bounded(reason),
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))), alias);
        return u.after().pending(modelName, id);
    }

    @Override
    public Approval approve(String modelName, String requestId, String by, String reason) {
        ModelNames.check("model name", modelName);
        PromotionRequest request = aliases(modelName).pending(modelName, requestId);
        manifest(new ModelUri(location(), modelName, request.version(), null)); // still published and readable
        Updated u = updateAliases(modelName, before -> before.approve(modelName, requestId, by, bounded(reason)), request.alias());
        return new Approval(u.before().pending(modelName, requestId), u.change());
    }

    @Override
    public PromotionRequest reject(String modelName, String requestId, String by, String reason) {
        ModelNames.check("model name", modelName);
        PromotionRequest request = aliases(modelName).pending(modelName, requestId);
        return updateAliases(modelName, before -> before.reject(modelName, requestId, by, bounded(reason)), request.alias())
                .before().pending(modelName, requestId);
    }

    /** Longest reason kept in the alias log: the file is read whole and by people. */
    public static final int MAX_REASON_CHARS = 500;

    private static String bounded(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String r = reason.strip();
        if (r.length() > MAX_REASON_CHARS || r.chars().anyMatch(c -> Character.isISOControl(c) && c != ' ')) {
            throw new RegistryException(RegistryException.Reason.INVALID_URI, "a reason must be one line of at most "
                    + MAX_REASON_CHARS + " characters without control characters (got " + r.length() + " characters)");
        }
        return r;
    }

    @Override
    public AliasPolicy policy() {
        return getSmall(AliasPolicy.KEY).map(b -> AliasPolicy.fromYaml(b.bytes(), blobs.describe(AliasPolicy.KEY)))
                .orElseGet(AliasPolicy::open);
    }

    @Override
    public void policy(AliasPolicy policy) {
        blobs.locked(AliasPolicy.KEY, () -> {
            Optional<BlobStore.Blob> before = getSmall(AliasPolicy.KEY);
            if (before.isEmpty()) {
                blobs.putIfAbsent(AliasPolicy.KEY, policy.toYaml());
            } else {
                blobs.putIfMatch(AliasPolicy.KEY, policy.toYaml(), before.get().version());
            }
            return null;
        });
    }

    @Override
    public void attach(String modelName, String version, String fileName, byte[] bytes) {
        ModelManifest manifest = manifest(new ModelUri(location(), modelName, version, null));
        String key = attachmentKey(manifest, fileName);
        if (bytes.length > limits.maxManifestBytes()) {
            throw new RegistryException(TOO_LARGE, fileName + " of " + modelName + "/" + version + " is " + bytes.length
                    + " bytes, above the limit of " + limits.maxManifestBytes() + " (MODEL_REGISTRY_MAX_MANIFEST_BYTES)");
        }
        blobs.locked(key, () -> {
            Optional<BlobStore.Blob> before = getSmall(key);
            if (before.isEmpty()) {
                blobs.putIfAbsent(key, bytes);
            } else {
                blobs.putIfMatch(key, bytes, before.get().version());
            }
            return null;
        });
    }

    @Override
    public Optional<byte[]> attachment(String modelName, String version, String fileName) {
        ModelManifest manifest = manifest(new ModelUri(location(), modelName, version, null));
        return getSmall(attachmentKey(manifest, fileName)).map(BlobStore.Blob::bytes);
    }

    private static String attachmentKey(ModelManifest manifest, String fileName) {
        ModelNames.check("attachment name", fileName);
        if (fileName.equals(ManifestCodec.FILE_NAME) || fileName.equals(manifest.artifact().file())) {
            throw new RegistryException(RegistryException.Reason.INVALID_URI, "'" + fileName + "' is the manifest or the artifact"
                    + " of " + manifest.name() + "/" + manifest.version() + ", not an attachment");
        }
        return manifest.version() + "/" + manifest.name() + "/" + fileName;
    }

    private record Versioned(AliasState state, String version) { }

    /** An alias update as written: the state it was applied to, the state written and the change of the alias. */
    private record Updated(AliasState before, AliasState after, AliasChange change) { }

    private Updated updateAliases(String modelName, UnaryOperator<AliasState> change, String alias) {
        String key = aliasKey(modelName);
        return blobs.locked(key, () -> {
            for (int attempt = 1; ; attempt++) {
                Versioned before = versionedAliases(modelName);
                AliasState after = change.apply(before.state());
                try {
                    blobs.putIfMatch(key, after.toYaml(), before.version());
                    return new Updated(before.state(), after,
                            new AliasChange(modelName, alias, before.state().current().get(alias), after.current().get(alias)));
                } catch (RegistryException e) {
                    if (e.reason() != CONFLICT) {
                        throw e;
                    }
                    if (attempt >= ALIAS_ATTEMPTS) {
                        throw new RegistryException(CONFLICT, "alias '" + alias + "' of model '" + modelName + "' was not changed: "
                                + blobs.describe(key) + " was changed concurrently " + attempt + " times in a row; try again", e);
                    }
                    sleepQuietly(10L * attempt + ThreadLocalRandom.current().nextLong(10L * attempt));
                }
            }
        });
    }

    @Override
    public AliasState aliases(String modelName) {
        return versionedAliases(modelName).state();
    }

    private Versioned versionedAliases(String modelName) {
        String key = aliasKey(modelName);
        return getSmall(key)
                .map(b -> new Versioned(AliasState.fromYaml(b.bytes(), blobs.describe(key)), b.version()))
                .orElseGet(() -> new Versioned(AliasState.empty(), null));
    }

    private static String aliasKey(String modelName) {
        return ALIASES + "/" + modelName + ".yaml";
    }

    @Override
    public String location() {
        return blobs.location();
    }

    /** Releases what the blob store holds (the S3 store's client). */
    @Override
    public void close() {
        blobs.close();
    }

    private ModelUri resolve(ModelUri uri) {
        if (!uri.isAlias()) {
            return uri;
        }
        return resolveAlias(uri.name(), uri.alias()).map(uri::withVersion).orElseThrow(() -> new RegistryException(NOT_FOUND,
                "alias '" + uri.alias() + "' of model '" + uri.name() + "' is not set in registry " + location()));
    }

    private Optional<ModelManifest> readManifest(String key) {
        return getSmall(key).map(b -> ManifestCodec.read(b.bytes(), blobs.describe(key)));
    }

    /** A manifest or alias file: at most {@link RegistryLimits#maxManifestBytes()}, refused by its size before it is read. */
    private Optional<BlobStore.Blob> getSmall(String key) {
        int max = limits.maxManifestBytes();
        return blobs.get(key, max, size -> size <= max ? null : new RegistryException(TOO_LARGE, blobs.describe(key)
                + " is " + size + " bytes, above the limit of " + max + " (MODEL_REGISTRY_MAX_MANIFEST_BYTES)"));
    }

    /** Refuses an artifact file to publish that is missing, above the limit or unlike its manifest (size, sha256). */
    static void verifyArtifactFile(ModelManifest manifest, Path artifactFile, RegistryLimits limits) {
        if (!Files.isRegularFile(artifactFile)) {
            throw new RegistryException(NOT_FOUND, "artifact file " + artifactFile + " does not exist");
        }
        long size;
        try {
            size = Files.size(artifactFile);
        } catch (IOException e) {
            throw new RegistryException(IO, "cannot read " + artifactFile + ": " + e.getMessage(), e);
        }
        limits.checkArtifactSize(size, "artifact file " + artifactFile);
        if (size != manifest.artifact().size()) {
            throw new RegistryException(CHECKSUM_MISMATCH, "artifact file " + artifactFile + " is " + size
                    + " bytes but the manifest of '" + manifest.name() + "' says " + manifest.artifact().size());
        }
        String sha = Checksums.sha256(artifactFile);
        if (!sha.equals(manifest.artifact().sha256())) {
            throw new RegistryException(CHECKSUM_MISMATCH, "artifact file " + artifactFile + " has sha256 " + sha
                    + " but the manifest of '" + manifest.name() + "' says " + manifest.artifact().sha256());
        }
    }

    /** Refuses artifact bytes whose size or sha256 differ from the manifest. */
    public static void verifyBytes(ModelUri uri, ModelManifest manifest, byte[] bytes) {
        String sha = Checksums.sha256(bytes);
        if (bytes.length != manifest.artifact().size() || !sha.equals(manifest.artifact().sha256())) {
            throw new RegistryException(CHECKSUM_MISMATCH, "artifact of " + uri + " is corrupted or tampered with: sha256 "
                    + sha + " (" + bytes.length + " bytes), manifest expects " + manifest.artifact().sha256()
                    + " (" + manifest.artifact().size() + " bytes); refusing to load it");
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
