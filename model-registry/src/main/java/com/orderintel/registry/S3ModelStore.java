package com.orderintel.registry;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static com.orderintel.registry.RegistryException.Reason.ACCESS_DENIED;
import static com.orderintel.registry.RegistryException.Reason.CHECKSUM_MISMATCH;
import static com.orderintel.registry.RegistryException.Reason.CONFLICT;
import static com.orderintel.registry.RegistryException.Reason.INVALID_URI;
import static com.orderintel.registry.RegistryException.Reason.IO;
import static com.orderintel.registry.RegistryException.Reason.NOT_FOUND;

/**
 * The registry on S3 or any S3-compatible store, in the platform's layout
 * {@code s3://bucket/prefix/<commit_sha>/<model-name>/{manifest.yaml, artifact}} and
 * {@code s3://bucket/prefix/aliases/<model-name>.yaml}.
 *
 * <p>Consistency: the artifact is uploaded before the manifest, so a reader that sees a manifest sees its
 * complete artifact (S3 PUTs are atomic per object and strongly read-after-write consistent). Artifact and
 * manifest are both created with {@code If-None-Match: *}, so of two racing publishers of one version exactly
 * one wins and the loser can neither overwrite the winner's artifact nor its manifest; alias
 * files are replaced with {@code If-Match: <etag>}, re-read and retried a bounded number of times on 412, so
 * concurrent promotions do not lose history. That is exactly as atomic as the backend's conditional write: AWS
 * S3 checks and writes in one step; some S3-compatible servers (S3Proxy 4.1, our test server) check and then
 * write, so racing writers there can both succeed. No in-process lock papers over that: it would only hide the
 * backend's behaviour within one JVM, never across the replicas that matter.
 *
 * <p>Reads are bounded: an object's content-length is compared with the manifest's artifact size and with
 * {@link RegistryLimits} before its body is read. Downloads are verified against the manifest's sha256.
 *
 * <p>The store owns its {@link S3Client} (one per store) and closes it in {@link #close()}.
 */
public final class S3ModelStore implements ModelStore {

    /** Attempts of an alias update that meets 412 Precondition Failed before it gives up with CONFLICT. */
    static final int ALIAS_ATTEMPTS = 8;
    /** User metadata (x-amz-meta-sha256) on every artifact this store writes. */
    static final String SHA256_METADATA = "sha256";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final RegistryLimits limits;

    /** A store on {@code location} that takes ownership of {@code s3}: closing the store closes the client. */
    public S3ModelStore(S3Client s3, String location) {
        this(s3, location, RegistryLimits.fromEnvironment());
    }

    /** As {@link #S3ModelStore(S3Client, String)} with explicit read limits. */
    public S3ModelStore(S3Client s3, String location, RegistryLimits limits) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(INVALID_URI, "not an S3 registry location: " + ModelNames.quote(ModelUri.redact(location), 300)
                    + " (expected s3://bucket[/prefix])", e);
        }
        if (uri.getRawUserInfo() != null || !ModelUri.redact(location).equals(location)) {
            throw new RegistryException(INVALID_URI, "S3 registry location " + ModelNames.quote(ModelUri.redact(location), 300)
                    + " carries credentials (user info); " + ModelUri.NO_CREDENTIALS);
        }
        if (!"s3".equals(uri.getScheme()) || uri.getAuthority() == null) {
            throw new RegistryException(INVALID_URI, "not an S3 registry location: " + ModelNames.quote(ModelUri.redact(location), 300)
                    + " (expected s3://bucket[/prefix])");
        }
        this.s3 = s3;
        this.bucket = uri.getAuthority();
        String p = uri.getPath() == null ? "" : uri.getPath();
        p = p.replaceAll("^/+", "").replaceAll("/+$", "");
        this.prefix = p.isEmpty() ? "" : p + "/";
        this.limits = limits;
    }

    /** A store with its own client from {@link S3Settings#fromEnvironment()}; close it when done. */
    public static S3ModelStore at(String location) {
        return at(location, RegistryLimits.fromEnvironment());
    }

    /** As {@link #at(String)} with explicit read limits. */
    public static S3ModelStore at(String location, RegistryLimits limits) {
        return new S3ModelStore(S3Settings.fromEnvironment().newClient(), location, limits);
    }

    /** Closes this store's S3 client (its connection pool). */
    @Override
    public void close() {
        s3.close();
    }

    @Override
    public ModelUri publish(ModelManifest manifest, Path artifactFile) {
        byte[] manifestBytes = ManifestCodec.write(manifest);
        FileSystemModelStore.verifyArtifactFile(manifest, artifactFile, limits);
        ModelUri uri = new ModelUri(location(), manifest.name(), manifest.version(), null);
        String dir = prefix + manifest.version() + "/" + manifest.name() + "/";
        return publishConditionally(uri, dir, manifest, manifestBytes, artifactFile);
    }

    /**
     * Both objects are created with {@code If-None-Match: *}: an existing artifact is never overwritten, so a
     * racing publisher of the same version with other content cannot swap the bytes under the winner's
     * manifest. An artifact that exists without a manifest (a publish that was interrupted or is still running)
     * is accepted only when its sha256 is ours.
     */
    private ModelUri publishConditionally(ModelUri uri, String dir, ModelManifest manifest, byte[] manifestBytes,
                                          Path artifactFile) {
        String manifestKey = dir + ManifestCodec.FILE_NAME;
        Optional<ModelManifest> existing = readManifest(manifestKey);
        if (existing.isPresent()) {
            return sameOrConflict(uri, existing.get(), manifest);
        }
        String artifactKey = dir + manifest.artifact().file();
        String sha = manifest.artifact().sha256();
        try {
            call(uri.toString(), () -> s3.putObject(PutObjectRequest.builder().bucket(bucket).key(artifactKey)
                    .contentType("application/octet-stream").metadata(Map.of(SHA256_METADATA, sha)).ifNoneMatch("*").build(),
                    RequestBody.fromFile(artifactFile)));
        } catch (RegistryException e) {
            if (e.reason() != CONFLICT) {
                throw e;
            }
            String present = storedSha256(artifactKey);
            if (!present.equals(sha)) {
                throw new RegistryException(CONFLICT, "s3://" + bucket + "/" + artifactKey + " already holds another artifact"
                        + " (sha256 " + present + ", this publish has " + sha + "): another publish of model '"
                        + manifest.name() + "' version '" + manifest.version() + "' is running or was interrupted; if none"
                        + " is running, delete that object and publish again", e);
            }
        }
        try {
            call(uri.toString(), () -> s3.putObject(PutObjectRequest.builder().bucket(bucket).key(manifestKey)
                    .contentType("application/yaml").ifNoneMatch("*").build(), RequestBody.fromBytes(manifestBytes)));
        } catch (RegistryException e) {
            if (e.reason() == CONFLICT) { // another publisher created the manifest first
                return sameOrConflict(uri, readManifest(manifestKey).orElseThrow(() -> e), manifest);
            }
            throw e;
        }
        return uri;
    }

    /** The sha256 of a stored object: from the metadata this store writes, else by streaming the object. */
    private String storedSha256(String key) {
        String what = "s3://" + bucket + "/" + key;
        String fromMetadata = call(what, () -> s3.headObject(b -> b.bucket(bucket).key(key))).metadata().get(SHA256_METADATA);
        if (fromMetadata != null && fromMetadata.matches("[0-9a-f]{64}")) {
            return fromMetadata;
        }
        return call(what, () -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
                return Checksums.sha256(in);
            } catch (IOException e) {
                throw new RegistryException(IO, "cannot read " + what + ": " + e.getMessage(), e);
            }
        });
    }

    private ModelUri sameOrConflict(ModelUri uri, ModelManifest existing, ModelManifest manifest) {
        if (existing.artifact().sha256().equals(manifest.artifact().sha256())) {
            return uri;
        }
        throw new RegistryException(CONFLICT, "model '" + manifest.name() + "' version '" + manifest.version()
                + "' is already published at " + uri + " with a different artifact (sha256 " + existing.artifact().sha256()
                + "); publish under a new version");
    }

    @Override
    public LoadedArtifact load(ModelUri uri) {
        ModelUri exact = resolve(uri);
        ModelManifest manifest = manifest(exact);
        String key = prefix + exact.version() + "/" + exact.name() + "/" + manifest.artifact().file();
        String what = "artifact s3://" + bucket + "/" + key + " of " + exact;
        long expected = manifest.artifact().size();
        limits.checkArtifactSize(expected, what);
        // Compared with the content-length before the body is read: a lying object is refused, not downloaded.
        LongFunction<RegistryException> refuse = length -> length == expected ? null : new RegistryException(CHECKSUM_MISMATCH,
                what + " is corrupted or tampered with: it is " + length + " bytes, the manifest expects " + expected
                        + "; refusing to load it");
        byte[] bytes = get(key, expected, refuse).orElseThrow(() -> new RegistryException(NOT_FOUND, what + " is missing")).bytes();
        FileSystemModelStore.verifyBytes(exact, manifest, bytes);
        return new LoadedArtifact(exact, manifest, bytes);
    }

    @Override
    public ModelManifest manifest(ModelUri uri) {
        ModelUri exact = resolve(uri);
        String key = prefix + exact.version() + "/" + exact.name() + "/" + ManifestCodec.FILE_NAME;
        ModelManifest manifest = readManifest(key).orElseThrow(() -> new RegistryException(NOT_FOUND, "no model '" + exact.name()
                + "' version '" + exact.version() + "' in registry " + location() + " (s3://" + bucket + "/" + key + " does not exist)"));
        FileSystemModelStore.checkDescribes(manifest, exact, "s3://" + bucket + "/" + key);
        return manifest;
    }

    @Override
    public List<ModelVersionInfo> list() {
        List<ModelVersionInfo> out = new ArrayList<>();
        List<S3Object> objects = call(location(), () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                .contents().stream().toList());
        for (S3Object o : objects) {
            if (o.key().endsWith("/" + ManifestCodec.FILE_NAME) && !o.key().startsWith(prefix + "aliases/")) {
                readManifest(o.key()).ifPresent(m -> out.add(new ModelVersionInfo(m.name(), m.version(), m,
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
    public AliasChange promote(String modelName, String alias, String version, String by) {
        ModelNames.check("alias", alias);
        manifest(new ModelUri(location(), modelName, version, null)); // checks name and version; refuses an unpublished version
        return updateAliases(modelName, before -> before.promote(alias, version, by), alias);
    }

    @Override
    public AliasChange rollback(String modelName, String alias, String by) {
        ModelNames.check("model name", modelName);
        ModelNames.check("alias", alias);
        return updateAliases(modelName, before -> before.rollback(modelName, alias, by), alias);
    }

    @Override
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }

    private record Versioned(AliasState state, String etag) { }

    /**
     * Read, apply, write with {@code If-Match} (or {@code If-None-Match: *} for a first alias file); on 412 re-read
     * and re-apply, at most {@link #ALIAS_ATTEMPTS} times with jittered back-off, then CONFLICT. Each attempt
     * applies the change to the state it read, so a successful write never drops another writer's change on a
     * backend whose conditional writes are atomic.
     */
    private AliasChange updateAliases(String modelName, UnaryOperator<AliasState> change, String alias) {
        String key = aliasKey(modelName);
        for (int attempt = 1; ; attempt++) {
            Versioned before = versionedAliases(modelName);
            AliasState after = change.apply(before.state());
            PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/yaml");
            put = before.etag() == null ? put.ifNoneMatch("*") : put.ifMatch(before.etag());
            PutObjectRequest request = put.build();
            try {
                call("s3://" + bucket + "/" + key, () -> s3.putObject(request, RequestBody.fromBytes(after.toYaml())));
                return new AliasChange(modelName, alias, before.state().current().get(alias), after.current().get(alias));
            } catch (RegistryException e) {
                if (e.reason() != CONFLICT) {
                    throw e;
                }
                if (attempt >= ALIAS_ATTEMPTS) {
                    throw new RegistryException(CONFLICT, "alias '" + alias + "' of model '" + modelName + "' was not changed: "
                            + "s3://" + bucket + "/" + key + " was changed concurrently " + attempt + " times in a row; try again", e);
                }
                sleepQuietly(10L * attempt + ThreadLocalRandom.current().nextLong(10L * attempt));
            }
        }
    }

    @Override
    public AliasState aliases(String modelName) {
        return versionedAliases(modelName).state();
    }

    private Versioned versionedAliases(String modelName) {
        String key = aliasKey(modelName);
        return getSmall(key)
                .map(o -> new Versioned(AliasState.fromYaml(o.bytes(), "s3://" + bucket + "/" + key), o.etag()))
                .orElseGet(() -> new Versioned(AliasState.empty(), null));
    }

    private String aliasKey(String modelName) {
        return prefix + "aliases/" + modelName + ".yaml";
    }

    private ModelUri resolve(ModelUri uri) {
        if (!uri.isAlias()) {
            return uri;
        }
        return resolveAlias(uri.name(), uri.alias()).map(uri::withVersion).orElseThrow(() -> new RegistryException(NOT_FOUND,
                "alias '" + uri.alias() + "' of model '" + uri.name() + "' is not set in registry " + location()));
    }

    private Optional<ModelManifest> readManifest(String key) {
        return getSmall(key).map(o -> ManifestCodec.read(o.bytes(), "s3://" + bucket + "/" + key));
    }

    private record Fetched(byte[] bytes, String etag) { }

    /** A manifest or alias file: at most {@link RegistryLimits#maxManifestBytes()}. */
    private Optional<Fetched> getSmall(String key) {
        String what = "s3://" + bucket + "/" + key;
        int max = limits.maxManifestBytes();
        return get(key, max, length -> length <= max ? null : new RegistryException(RegistryException.Reason.TOO_LARGE,
                what + " is " + length + " bytes, above the limit of " + max + " (MODEL_REGISTRY_MAX_MANIFEST_BYTES)"));
    }

    /**
     * GetObject, refusing by content-length before the body is read ({@code refuse} returns the error for a
     * length, or null to accept it) and reading at most {@code max + 1} bytes whatever the header said; empty
     * when the key does not exist.
     */
    private Optional<Fetched> get(String key, long max, LongFunction<RegistryException> refuse) {
        String what = "s3://" + bucket + "/" + key;
        try {
            return Optional.of(call(what, () -> {
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
                    Long length = in.response().contentLength();
                    RegistryException refused = length == null ? null : refuse.apply(length);
                    if (refused == null) {
                        byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
                        refused = bytes.length <= max ? null : refuse.apply(bytes.length);
                        if (refused == null) {
                            return new Fetched(bytes, in.response().eTag());
                        }
                    }
                    in.abort(); // do not drain (or pool) a connection whose body we refuse
                    throw refused;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (RegistryException e) {
            if (e.reason() == NOT_FOUND && !(e.getCause() instanceof NoSuchBucketException)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs an S3 call, translating SDK failures into registry errors that name the object and the cause. */
    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (NoSuchBucketException e) {
            throw new RegistryException(NOT_FOUND, "bucket '" + bucket + "' does not exist (" + what + ")", e);
        } catch (NoSuchKeyException e) {
            throw new RegistryException(NOT_FOUND, what + " does not exist", e);
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            int status = e.statusCode();
            if (status == 403 || status == 401) {
                throw new RegistryException(ACCESS_DENIED, "access denied to " + what + " (" + code + "): check the "
                        + "credentials (AWS default provider chain) and the bucket policy", e);
            }
            if (status == 412 || status == 409) {
                throw new RegistryException(CONFLICT, what + " was changed concurrently (" + code + ")", e);
            }
            if (status == 404) {
                throw new RegistryException(NOT_FOUND, what + " does not exist (" + code + ")", e);
            }
            throw new RegistryException(IO, "S3 error on " + what + ": HTTP " + status + " " + code, e);
        } catch (SdkClientException e) {
            throw new RegistryException(IO, "cannot reach S3 for " + what + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new RegistryException(IO, "cannot read " + what + ": " + e.getCause().getMessage(), e);
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
