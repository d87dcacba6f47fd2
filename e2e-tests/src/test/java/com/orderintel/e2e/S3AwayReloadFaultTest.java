package com.orderintel.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.registry.S3ModelStore;
import com.orderintel.testkit.S3ProxyFixture;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static com.orderintel.e2e.FaultInfra.READY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 3: the S3 store goes away (the S3Proxy serving the registry is stopped) just before an admin reload of a
 * model whose alias moved. The reload must fail cleanly (a problem response, the failure counted in
 * {@code advisor_model_load_failures_total}), the old model keeps serving every request meanwhile, and once the store
 * is back (same port, same objects) the same reload succeeds.
 */
@Tag("faults")
class S3AwayReloadFaultTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "faults-admin-token-" + Long.toHexString(System.nanoTime());
    static final String READ = "faults-read-token-" + Long.toHexString(System.nanoTime());
    static final String ORDER = "{\"order_id\":\"o-1\",\"avg_processing_ms\":7000,\"item_count\":40,\"payment_score\":0.05}";

    @TempDir
    Path work;

    @Test
    void reloadWhileS3IsAwayFailsCleanlyAndTheOldModelServes() throws Exception {
        BlobStore objects = BlobStores.create("transient", new Properties()); // outlives each proxy: the store's disk
        S3Proxy proxy = start(objects, 0);
        int port = proxy.getPort();
        String bucket = "models-faults";
        try {
            Map<String, String> s3 = Map.of("S3_ENDPOINT_URL", "http://127.0.0.1:" + port, "S3_PATH_STYLE", "true",
                    "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", S3ProxyFixture.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", S3ProxyFixture.SECRET_KEY);
            String registry = "s3://" + bucket + "/platform";
            withS3(s3, () -> {
                try (var client = software.amazon.awssdk.services.s3.S3Client.builder()
                        .endpointOverride(URI.create("http://127.0.0.1:" + port)).forcePathStyle(true)
                        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                        S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY))).build()) {
                    client.createBucket(b -> b.bucket(bucket));
                }
                S3ModelStore store = S3ModelStore.at(registry);
                FixtureModels.publish(store, "v1", "production");
                FixtureModels.publish(store, "v2", null);
                return null;
            });
            Map<String, String> env = new HashMap<>(s3);
            env.putAll(Map.of("MODEL_URI_ANOMALY", registry + "/order-anomaly@production",
                    "ADVISOR_MODELS_WATCH_INTERVAL", "0", // reloads only when asked: the alias watcher stays out of it
                    "SPRING_CLOUD_VAULT_ENABLED", "false",
                    "ADVISOR_SECURITY_ADMIN_TOKEN", ADMIN, "ADVISOR_SECURITY_READ_TOKEN", READ));
            try (Processes.Service service = new Processes.Service("s3-away", env, work)) {
                service.awaitReady(READY);
                assertThat(servedVersion(service)).isEqualTo("v1");
                withS3(s3, () -> S3ModelStore.at(registry).promote("order-anomaly", "production", "v2", "fault-suite"));

                proxy.stop(); // the store is away
                long t0 = System.nanoTime();
                HttpResponse<String> failed = Processes.postJson(service.url("/api/v1/admin/models/reload"), "{}", ADMIN);
                double failSeconds = (System.nanoTime() - t0) / 1e9;
                int scored = 0;
                int notOk = 0;
                String scoredBy = null;
                for (int i = 0; i < 200; i++) {
                    HttpResponse<String> r = Processes.postJson(service.url("/api/v1/anomaly"), ORDER);
                    scored++;
                    if (r.statusCode() != 200) {
                        notOk++;
                    } else {
                        scoredBy = JSON.readTree(r.body()).at("/model/version").asText();
                    }
                }
                String servedDuringOutage = servedVersion(service);
                double failures = Processes.scrape(service.metrics(), "advisor_model_load_failures_total", "model=\"order-anomaly\"");

                proxy = start(objects, port); // back, same port and objects
                HttpResponse<String> ok = Processes.postJson(service.url("/api/v1/admin/models/reload"), "{}", ADMIN);
                String servedAfter = servedVersion(service);

                Map<String, Object> f = FaultInfra.figures();
                f.put("reload_while_away", failed.statusCode());
                f.put("reload_fail_s", String.format("%.1f", failSeconds));
                f.put("load_failures_counted", (long) failures);
                f.put("requests_during_outage", scored);
                f.put("non_200", notOk);
                f.put("served_during_outage", servedDuringOutage);
                f.put("reload_after_return", ok.statusCode());
                f.put("served_after", servedAfter);
                FaultInfra.report("s3-away-reload", f);

                assertThat(failed.statusCode()).as(failed.body()).isBetween(400, 599);
                assertThat(failed.body()).as("a problem naming the store").contains("order-anomaly").doesNotContain("\tat ");
                assertThat(failures).as("advisor_model_load_failures_total").isGreaterThanOrEqualTo(1);
                assertThat(notOk).as("scoring requests that failed while S3 was away").isZero();
                assertThat(scoredBy).isEqualTo("v1");
                assertThat(servedDuringOutage).as("the old model keeps serving").isEqualTo("v1");
                assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
                assertThat(servedAfter).isEqualTo("v2");
            }
        } finally {
            proxy.stop();
        }
    }

    private static String servedVersion(Processes.Service service) throws Exception {
        HttpResponse<String> r = Processes.get(service.url("/api/v1/models/order-anomaly"), READ);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("version").asText();
    }

    private static S3Proxy start(BlobStore objects, int port) throws Exception {
        S3Proxy proxy = S3Proxy.builder().blobStore(objects).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(proxy.getState()).isEqualTo("STARTED");
        return proxy;
    }

    /** Runs {@code call} with the S3 settings as system properties (where the registry library reads them too). */
    private static <T> T withS3(Map<String, String> s3, java.util.concurrent.Callable<T> call) throws Exception {
        return S3ProxyFixture.withClientProperties(s3.get("S3_ENDPOINT_URL"), call);
    }
}
