package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;
import com.orderintel.registry.BlobStore;
import com.orderintel.registry.FileBlobStore;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.S3BlobStore;
import com.orderintel.registry.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Snapshots on the model registry's blob stores, so they get the same conditional writes, bounded reads and S3 error
 * mapping: a directory tree ({@link FileBlobStore} on {@code /}: temporary file, then a hard link that fails when the
 * name exists) or S3 ({@link S3BlobStore} per bucket on one client with {@link S3Settings}: {@code If-None-Match: *}).
 * An exclusive put creates the object once and never replaces it (a snapshot's manifest); a plain put replaces a data
 * file an interrupted export may have left (no manifest names it yet). Registry errors become {@link DataException}s
 * with the same message, naming the URI and the cause.
 */
final class BlobSnapshotStorage implements SnapshotStorage {

    private final Function<String, BlobStore> byAuthority;
    private final Map<String, BlobStore> stores = new LinkedHashMap<>();
    private final AutoCloseable resources;

    private BlobSnapshotStorage(Function<String, BlobStore> byAuthority, AutoCloseable resources) {
        this.byAuthority = byAuthority;
        this.resources = resources;
    }

    static BlobSnapshotStorage files() {
        FileBlobStore root = new FileBlobStore(Path.of("/"));
        return new BlobSnapshotStorage(authority -> root, () -> { });
    }

    static BlobSnapshotStorage s3(S3Client s3) {
        return new BlobSnapshotStorage(bucket -> new S3BlobStore(s3, bucket, "", false), s3::close);
    }

    static BlobSnapshotStorage s3FromEnvironment() {
        return s3(S3Settings.fromEnvironment().newClient());
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            // closing a client: nothing left to lose
        }
    }

    private BlobStore store(URI uri) {
        return stores.computeIfAbsent(uri.getAuthority() == null ? "" : uri.getAuthority(), byAuthority);
    }

    private static String key(URI uri) {
        return uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
    }

    @Override
    public void put(URI target, Path file, boolean exclusive) {
        BlobStore store = store(target);
        String key = key(target);
        call(() -> {
            try {
                store.putIfAbsent(key, file, null);
            } catch (RegistryException e) {
                if (e.reason() != RegistryException.Reason.CONFLICT) {
                    throw e;
                }
                if (exclusive) {
                    throw new DataException(target + " already exists; snapshots are never overwritten", e);
                }
                store.delete(key);
                store.putIfAbsent(key, file, null);
            }
            return null;
        });
    }

    @Override
    public Path fetch(URI source, Path scratch, long maxBytes, LongFunction<String> tooLarge) {
        String key = key(source);
        String name = key.substring(key.lastIndexOf('/') + 1);
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new DataException("cannot download " + source + ": " + e.getMessage(), e);
        }
        Path dest = scratch.resolve(name.isEmpty() ? "object" : name);
        return call(() -> store(source).fetch(key, dest, maxBytes, size -> size <= maxBytes ? null
                : new RegistryException(RegistryException.Reason.TOO_LARGE, tooLarge.apply(size))))
                .orElseThrow(() -> new DataException(source + ("file".equals(source.getScheme()) ? ": file not found" : ": not found")));
    }

    @Override
    public boolean exists(URI object) {
        return call(() -> store(object).exists(key(object)));
    }

    @Override
    public List<String> children(URI dir) {
        String key = key(dir);
        String prefix = key.isEmpty() || key.endsWith("/") ? key : key + "/";
        return call(() -> {
            TreeSet<String> names = new TreeSet<>();
            for (String k : store(dir).list(prefix)) {
                int slash = k.indexOf('/', prefix.length());
                if (slash > prefix.length()) {
                    names.add(k.substring(prefix.length(), slash));
                }
            }
            return List.copyOf(names);
        });
    }

    private static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (RegistryException e) {
            throw new DataException(e.getMessage(), e);
        }
    }
}
