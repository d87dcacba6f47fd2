package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;
import com.orderintel.registry.S3Settings;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Snapshots on S3 or an S3-compatible store, with the model registry's client settings ({@link S3Settings}:
 * S3_ENDPOINT_URL, AWS_REGION, S3_PATH_STYLE, credentials from the default chain). An exclusive put uses
 * {@code If-None-Match: *}, so a snapshot's manifest is created once and never replaced.
 */
final class S3SnapshotStorage implements SnapshotStorage {

    private final S3Client s3;

    S3SnapshotStorage(S3Client s3) {
        this.s3 = s3;
    }

    static S3SnapshotStorage fromEnvironment() {
        return new S3SnapshotStorage(S3Settings.fromEnvironment().newClient());
    }

    @Override
    public void close() {
        s3.close();
    }

    private record Key(String bucket, String key) { }

    private static Key key(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
        return new Key(uri.getAuthority(), path);
    }

    @Override
    public void put(URI target, Path file, boolean exclusive) {
        Key k = key(target);
        call(target, () -> s3.putObject(b -> {
            b.bucket(k.bucket()).key(k.key());
            if (exclusive) {
                b.ifNoneMatch("*");
            }
        }, RequestBody.fromFile(file)));
    }

    @Override
    public Path fetch(URI source, Path scratch) {
        Key k = key(source);
        String name = k.key().substring(k.key().lastIndexOf('/') + 1);
        try {
            Files.createDirectories(scratch);
            Path dest = scratch.resolve(name.isEmpty() ? "object" : name);
            Files.deleteIfExists(dest);
            call(source, () -> s3.getObject(b -> b.bucket(k.bucket()).key(k.key()), ResponseTransformer.toFile(dest)));
            return dest;
        } catch (IOException e) {
            throw new DataException("cannot download " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(URI object) {
        Key k = key(object);
        try {
            call(object, () -> s3.headObject(b -> b.bucket(k.bucket()).key(k.key())));
            return true;
        } catch (NotFound e) {
            return false;
        }
    }

    @Override
    public List<String> children(URI dir) {
        Key k = key(dir);
        String prefix = k.key().isEmpty() || k.key().endsWith("/") ? k.key() : k.key() + "/";
        return call(dir, () -> s3.listObjectsV2Paginator(b -> b.bucket(k.bucket()).prefix(prefix).delimiter("/"))
                .commonPrefixes().stream().map(CommonPrefix::prefix)
                .map(p -> p.substring(prefix.length(), p.length() - 1)).sorted().toList());
    }

    /** A missing object, as distinct from any other failure. */
    private static final class NotFound extends DataException {
        NotFound(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One S3 call with errors that name the URI and the cause (and no stack trace for the user). */
    private static <T> T call(URI uri, Supplier<T> op) {
        try {
            return op.get();
        } catch (NoSuchKeyException e) {
            throw new NotFound(uri + ": not found", e);
        } catch (S3Exception e) {
            int status = e.statusCode();
            if (status == 404) {
                throw new NotFound(uri + ": not found", e);
            }
            if (status == 412) {
                throw new DataException(uri + " already exists; snapshots are never overwritten", e);
            }
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            throw new DataException(uri + ": S3 refused (" + status + " " + code + "): "
                    + String.valueOf(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()), e);
        } catch (SdkException e) {
            throw new DataException(uri + ": S3 unreachable: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }
}
