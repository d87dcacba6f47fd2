package com.orderintel.registry;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * S3 client settings from the environment (or same-named system properties, which win): {@code S3_ENDPOINT_URL}
 * for S3-compatible stores (MinIO, Ceph, S3Proxy), {@code AWS_REGION} (default us-east-1), {@code S3_PATH_STYLE}
 * (true for most S3-compatible stores). Credentials come from the AWS default provider chain (env
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profiles, web identity, instance/pod roles).
 */
public record S3Settings(String endpoint, String region, boolean pathStyle) {

    public static S3Settings fromEnvironment() {
        return fromLookup(name -> {
            String v = System.getProperty(name);
            return v != null ? v : System.getenv(name);
        });
    }

    static S3Settings fromLookup(UnaryOperator<String> lookup) {
        String endpoint = blankToNull(lookup.apply("S3_ENDPOINT_URL"));
        String region = blankToNull(lookup.apply("AWS_REGION"));
        String pathStyle = blankToNull(lookup.apply("S3_PATH_STYLE"));
        return new S3Settings(endpoint, region == null ? "us-east-1" : region,
                pathStyle != null ? Boolean.parseBoolean(pathStyle) : endpoint != null);
    }

    public S3Client newClient() {
        var builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .forcePathStyle(pathStyle)
                // standard mode: bounded retries with jittered exponential back-off for throttling and 5xx
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
