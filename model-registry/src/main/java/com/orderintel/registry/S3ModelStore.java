package com.orderintel.registry;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The registry on S3 or any S3-compatible store ({@link S3BlobStore}), in the platform's layout
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
 * <p>The store owns its {@link S3Client} (one per store) and closes it in {@link #close()}.
 */
public final class S3ModelStore extends BlobModelStore {

    /** A store on {@code location} that takes ownership of {@code s3}: closing the store closes the client. */
    public S3ModelStore(S3Client s3, String location) {
        this(s3, location, RegistryLimits.fromEnvironment());
    }

    /** As {@link #S3ModelStore(S3Client, String)} with explicit read limits. */
    public S3ModelStore(S3Client s3, String location, RegistryLimits limits) {
        super(S3BlobStore.at(s3, location), limits);
    }

    /** A store with its own client from {@link S3Settings#fromEnvironment()}; close it when done. */
    public static S3ModelStore at(String location) {
        return at(location, RegistryLimits.fromEnvironment());
    }

    /** As {@link #at(String)} with explicit read limits. */
    public static S3ModelStore at(String location, RegistryLimits limits) {
        return new S3ModelStore(S3Settings.fromEnvironment().newClient(), location, limits);
    }
}
