package com.orderintel.testkit;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.Properties;
import java.util.UUID;

/**
 * A real S3-compatible server for tests: S3Proxy (from Maven Central) with its in-memory backend, on a random
 * loopback port, with AWS v2/v4 signature checking. Shared by the model-registry, runner and advisor tests.
 */
public final class S3ProxyFixture implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret";

    private final S3Proxy proxy;
    private final URI endpoint;

    public S3ProxyFixture() {
        try {
            proxy = S3Proxy.builder()
                    .blobStore(BlobStores.create("transient", new Properties()))
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within 20 s (state " + proxy.getState() + ")");
                }
                Thread.sleep(10);
            }
            endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy: " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Runs {@code call} with the system properties this project's S3 store reads set to the S3 server at
     * {@code endpoint} and this fixture's credentials, and clears them after (for code that opens stores itself).
     */
    public static <T> T withClientProperties(String endpoint, java.util.concurrent.Callable<T> call) throws Exception {
        java.util.Map<String, String> props = java.util.Map.of("S3_ENDPOINT_URL", endpoint, "S3_PATH_STYLE", "true",
                "AWS_REGION", "us-east-1", "aws.accessKeyId", ACCESS_KEY, "aws.secretAccessKey", SECRET_KEY);
        props.forEach(System::setProperty);
        try {
            return call.call();
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    public S3Client client() {
        return client(ACCESS_KEY, SECRET_KEY);
    }

    public S3Client client(String accessKey, String secretKey) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    /** Creates a uniquely named bucket and returns its name. */
    public String newBucket() {
        String bucket = "models-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
