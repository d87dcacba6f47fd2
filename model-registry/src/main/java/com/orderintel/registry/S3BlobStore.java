package com.orderintel.registry;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import static com.orderintel.registry.RegistryException.Reason.ACCESS_DENIED;
import static com.orderintel.registry.RegistryException.Reason.CONFLICT;
import static com.orderintel.registry.RegistryException.Reason.INVALID_URI;
import static com.orderintel.registry.RegistryException.Reason.IO;
import static com.orderintel.registry.RegistryException.Reason.NOT_FOUND;

/**
 * Objects in an S3 bucket (or any S3-compatible store) under a prefix. Creates use {@code If-None-Match: *} and
 * replacements {@code If-Match: <etag>}: exactly as atomic as the backend's conditional write (AWS S3 checks and
 * writes in one step; S3Proxy 4.1, our test server, checks and then writes). Reads compare the content-length with
 * the caller's bound before the body is read and read at most one byte more than the bound whatever the header said.
 * SDK failures become registry errors that name the object and the cause.
 */
public final class S3BlobStore implements BlobStore {

    /** User metadata (x-amz-meta-sha256) on every object created from a file with a known sha256. */
    static final String SHA256_METADATA = "sha256";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final boolean ownsClient;

    /**
     * Objects under {@code prefix} ("" or ending in {@code /}) of {@code bucket}; with {@code ownsClient},
     * {@link #close()} closes the client.
     */
    public S3BlobStore(S3Client s3, String bucket, String prefix, boolean ownsClient) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.ownsClient = ownsClient;
    }

    /**
     * The store at {@code s3://bucket[/prefix]}; refuses another scheme, a missing bucket and credentials in the
     * location (they would be logged and shown; credentials come from the AWS provider chain).
     */
    public static S3BlobStore at(S3Client s3, String location) {
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
        String p = uri.getPath() == null ? "" : uri.getPath();
        p = p.replaceAll("^/+", "").replaceAll("/+$", "");
        return new S3BlobStore(s3, uri.getAuthority(), p.isEmpty() ? "" : p + "/", true);
    }

    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }

    @Override
    public Optional<Blob> get(String key, long max, LongFunction<RegistryException> refuse) {
        return getObject(key, refuse, in -> {
            byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            return new Read<>(new Blob(bytes, in.response().eTag()), bytes.length);
        });
    }

    @Override
    public Optional<Path> fetch(String key, Path dest, long max, LongFunction<RegistryException> refuse) {
        try {
            return getObject(key, refuse, in -> new Read<>(dest, copy(in, dest, max == Long.MAX_VALUE ? max : max + 1)));
        } catch (RegistryException e) {
            try {
                Files.deleteIfExists(dest); // a refused download keeps no space
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private record Read<T>(T value, long count) { }

    private interface Body<T> {
        Read<T> read(ResponseInputStream<GetObjectResponse> in) throws IOException;
    }

    /**
     * GetObject, refusing by content-length before the body is read and by the count read after; empty when the
     * key does not exist.
     */
    private <T> Optional<T> getObject(String key, LongFunction<RegistryException> refuse, Body<T> body) {
        return absentAsEmpty(() -> call(describe(key), () -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(prefix + key))) {
                Long length = in.response().contentLength();
                RegistryException refused = length == null ? null : refuse.apply(length);
                if (refused == null) {
                    Read<T> read = body.read(in);
                    refused = refuse.apply(read.count());
                    if (refused == null) {
                        return read.value();
                    }
                }
                in.abort(); // do not drain (or pool) a connection whose body we refuse
                throw refused;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    /** The call's result, or empty when the object (not the bucket) does not exist. */
    private static <T> Optional<T> absentAsEmpty(Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (RegistryException e) {
            if (e.reason() == NOT_FOUND && !(e.getCause() instanceof NoSuchBucketException)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Copies at most {@code limit} bytes of {@code in} to a new {@code dest}; returns the count. */
    private static long copy(InputStream in, Path dest, long limit) throws IOException {
        Files.createDirectories(dest.getParent());
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(dest)) {
            int n;
            while (total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) > 0) {
                out.write(buffer, 0, n);
                total += n;
            }
        }
        return total;
    }

    @Override
    public boolean exists(String key) {
        return absentAsEmpty(() -> call(describe(key), () -> s3.headObject(b -> b.bucket(bucket).key(prefix + key)))).isPresent();
    }

    @Override
    public void putIfAbsent(String key, Path file, String sha256) {
        PutObjectRequest.Builder put = request(key).ifNoneMatch("*");
        if (sha256 != null) {
            put.metadata(Map.of(SHA256_METADATA, sha256));
        }
        PutObjectRequest request = put.build();
        call(describe(key), () -> s3.putObject(request, RequestBody.fromFile(file)));
    }

    @Override
    public void putIfAbsent(String key, byte[] bytes) {
        PutObjectRequest request = request(key).ifNoneMatch("*").build();
        call(describe(key), () -> s3.putObject(request, RequestBody.fromBytes(bytes)));
    }

    @Override
    public void putIfMatch(String key, byte[] bytes, String version) {
        PutObjectRequest.Builder put = request(key);
        PutObjectRequest request = (version == null ? put.ifNoneMatch("*") : put.ifMatch(version)).build();
        call(describe(key), () -> s3.putObject(request, RequestBody.fromBytes(bytes)));
    }

    private PutObjectRequest.Builder request(String key) {
        boolean yaml = key.endsWith(".yaml") || key.endsWith(".yml");
        return PutObjectRequest.builder().bucket(bucket).key(prefix + key)
                .contentType(yaml ? "application/yaml" : "application/octet-stream");
    }

    @Override
    public List<String> list(String under) {
        return call(location(), () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + under))
                .contents().stream().map(o -> o.key().substring(prefix.length())).toList());
    }

    /** From the metadata this store writes, else by streaming the object. */
    @Override
    public String sha256(String key) {
        String what = describe(key);
        String fromMetadata = call(what, () -> s3.headObject(b -> b.bucket(bucket).key(prefix + key))).metadata().get(SHA256_METADATA);
        if (fromMetadata != null && fromMetadata.matches("[0-9a-f]{64}")) {
            return fromMetadata;
        }
        return call(what, () -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(prefix + key))) {
                return Checksums.sha256(in);
            } catch (IOException e) {
                throw new RegistryException(IO, "cannot read " + what + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void delete(String key) {
        call(describe(key), () -> s3.deleteObject(b -> b.bucket(bucket).key(prefix + key)));
    }

    @Override
    public String describe(String key) {
        return "s3://" + bucket + "/" + prefix + key;
    }

    @Override
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }

    /** Runs an S3 call, translating SDK failures into registry errors that name the object and the cause. */
    <T> T call(String what, Supplier<T> action) {
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
}
