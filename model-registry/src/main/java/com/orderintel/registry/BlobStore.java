package com.orderintel.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The few storage operations the model registry and the dataset snapshots need, over a flat space of keys
 * ({@code a/b/c}) under one root: a directory ({@link FileBlobStore}) or an S3 bucket and prefix
 * ({@link S3BlobStore}). Everything a registry means (manifests, aliases, verification, conflicts) is written once
 * above this, in {@link BlobModelStore}, as MLflow writes its registry once over artifact repositories chosen by
 * URI scheme. Every failure is a {@link RegistryException} whose message names the object and the cause.
 */
public interface BlobStore extends AutoCloseable {

    /** An object's bytes and its version tag: the ETag on S3, the sha256 of the content on a filesystem. */
    record Blob(byte[] bytes, String version) { }

    /**
     * The object's bytes, or empty when it does not exist. {@code refuse} is called with the size the store
     * declares before a byte is read and with the count read after (at most {@code max + 1} bytes are read,
     * whatever was declared); it returns the error that refuses that size, or null to accept it.
     */
    Optional<Blob> get(String key, long max, LongFunction<RegistryException> refuse);

    /**
     * The object as a local file, or empty when it does not exist: on a filesystem the file itself (read in place;
     * the caller checks where it leads), on S3 a download into {@code dest}. {@code refuse} is called with the
     * declared size before a byte is copied and with the count copied after; at most {@code max + 1} bytes are
     * copied. For objects too big to hold in memory (dataset files).
     */
    Optional<Path> fetch(String key, Path dest, long max, LongFunction<RegistryException> refuse);

    /** Whether the object exists. */
    boolean exists(String key);

    /**
     * Creates {@code key} with the file's content; refuses with {@link RegistryException.Reason#CONFLICT} when it
     * exists (an existing object is never replaced). {@code sha256} (may be null) is recorded where the store can
     * (S3 user metadata) so {@link #sha256(String)} need not read the object back.
     */
    void putIfAbsent(String key, Path file, String sha256);

    /** As {@link #putIfAbsent(String, Path, String)} with bytes in memory. */
    void putIfAbsent(String key, byte[] bytes);

    /**
     * Replaces {@code key} when its version is still {@code version} ({@link Blob#version()}; null: it must not
     * exist yet), else refuses with {@link RegistryException.Reason#CONFLICT}: the optimistic concurrency of the
     * alias files.
     */
    void putIfMatch(String key, byte[] bytes, String version);

    /** Every key under {@code prefix} (a directory-like prefix ending in {@code /}, or empty for all). */
    List<String> list(String prefix);

    /** The sha256 of a stored object. */
    String sha256(String key);

    /** Removes an object; absent is fine. */
    void delete(String key);

    /** The object as a person should read it in a message: a path or {@code s3://bucket/key}. */
    String describe(String key);

    /** The root as a URI: {@code file:///dir} or {@code s3://bucket/prefix}, without a trailing slash. */
    String location();

    /**
     * Runs {@code action} holding the lock named by {@code key}. The file store takes a file lock that holds
     * across threads and processes on one host; S3 has no lock and runs the action as is (its writes are
     * conditional instead). Re-entrant within a thread.
     */
    default <T> T locked(String key, IoAction<T> action) {
        return action.run();
    }

    /**
     * Whether {@link #locked} keeps out every other writer of the key, so that, inside it, an object no manifest
     * names can only be left by an interrupted writer and may be removed or replaced.
     */
    default boolean lockExcludesWriters() {
        return false;
    }

    /** Releases what the store holds (the S3 client). */
    @Override
    default void close() {
    }

    /** An action run under {@link #locked}. */
    interface IoAction<T> {
        T run();
    }
}
