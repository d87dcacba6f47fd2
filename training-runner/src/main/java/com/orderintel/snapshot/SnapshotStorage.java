package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Where dataset snapshots live: a directory ({@code file:///...}) or an S3 prefix ({@code s3://bucket/prefix}),
 * addressed by full URIs. Small on purpose: put a local file, fetch one to a local path, list sub-directories.
 */
public interface SnapshotStorage extends AutoCloseable {

    /** Uploads {@code file} to {@code target}; with {@code exclusive} an existing object is refused, never replaced. */
    void put(URI target, Path file, boolean exclusive);

    /**
     * A local path holding the object's bytes: the file itself for {@code file:}, a download into {@code scratch} for
     * S3. An object above {@code maxBytes} is refused by its declared size before it is read, with the message
     * {@code tooLarge} gives for that size.
     */
    Path fetch(URI source, Path scratch, long maxBytes, LongFunction<String> tooLarge);

    /** {@link #fetch(URI, Path, long, LongFunction)} with no bound (the caller knows no size). */
    default Path fetch(URI source, Path scratch) {
        return fetch(source, scratch, Long.MAX_VALUE, size -> source + " is " + size + " bytes");
    }

    boolean exists(URI object);

    /** Names of the immediate sub-directories (S3: common prefixes) of {@code dir}, sorted. */
    List<String> children(URI dir);

    @Override
    default void close() {
    }

    /** The storage for a URI's scheme: file or s3 (S3 settings from the environment, as the model registry's). */
    static SnapshotStorage forUri(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        return switch (scheme) {
            case "file" -> BlobSnapshotStorage.files();
            case "s3" -> BlobSnapshotStorage.s3FromEnvironment();
            default -> throw new DataException("unsupported dataset location '" + uri + "' (expected file:///... or s3://bucket/...)");
        };
    }

    /** Parses a location given on the command line; a trailing slash marks a directory and is kept. */
    static URI parse(String location) {
        try {
            URI uri = URI.create(location.strip());
            if (uri.getScheme() == null) {
                throw new DataException("'" + location + "' is not a URI (expected file:///... or s3://bucket/...)");
            }
            if ("s3".equals(uri.getScheme()) && (uri.getAuthority() == null || uri.getAuthority().isBlank())) {
                throw new DataException("'" + location + "' names no bucket (expected s3://bucket/prefix)");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new DataException("'" + location + "' is not a valid URI: " + e.getMessage(), e);
        }
    }

    /** {@code base} with a path segment appended (no double slashes). */
    static URI resolve(URI base, String child) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b : b + "/") + child);
    }
}
