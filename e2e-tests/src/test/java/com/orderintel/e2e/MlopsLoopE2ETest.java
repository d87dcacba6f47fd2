package com.orderintel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.ModelLoader;
import com.orderintel.testkit.S3ProxyFixture;
import com.orderintel.testkit.ThrowawayDatabase;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The MLOps loop end to end, with the real jars as processes against the machine's RabbitMQ, PostgreSQL and Redis
 * and an S3Proxy (S3 registry and dataset store): two service instances on one registry alias and one queue;
 * order-service-style events with redeliveries; feedback through the other instance; a dataset snapshot exported
 * from the captured store; a model trained from it, published and promoted; both instances serve it within the
 * watch interval, report the same precision, alerted each anomalous order exactly once, and the new manifest
 * points at the snapshot. Run alone with {@code bash e2e-tests/run.sh}.
 */
@Tag("e2e")
class MlopsLoopE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String EXCHANGE = "order.exchange.e2e-" + RUN;
    private static final String QUEUE = "ai-advisor.order-created.e2e-" + RUN;
    private static final String ALERTS = "alerts.e2e-" + RUN;
    private static final int EVENTS = 300;

    @TempDir
    static Path work;
    static S3ProxyFixture s3;
    @RegisterExtension
    static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_e2e");
    static String registry;
    static String dataRoot;
    static Map<String, String> s3Env;
    static Connection rabbit;
    static Channel channel;

    @BeforeAll
    static void infrastructure() throws Exception {
        s3 = new S3ProxyFixture();
        String bucket = s3.newBucket();
        registry = "s3://" + bucket + "/platform";
        dataRoot = "s3://" + bucket + "/data"; // snapshots live outside the registry's root
        s3Env = Map.of("S3_ENDPOINT_URL", s3.endpoint().toString(), "S3_PATH_STYLE", "true", "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", S3ProxyFixture.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyFixture.SECRET_KEY);
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        rabbit = f.newConnection("e2e-order-service");
        channel = rabbit.createChannel();
        channel.exchangeDeclare(EXCHANGE, BuiltinExchangeType.TOPIC, true);
        channel.queueDeclare(ALERTS, true, false, false, null);
        channel.queueBind(ALERTS, EXCHANGE, "order.monitoring");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (channel != null) {
            channel.queueDelete(QUEUE);
            channel.queueDelete(QUEUE + ".dlq");
            channel.queueDelete(ALERTS);
            channel.exchangeDelete(EXCHANGE);
            channel.exchangeDelete("ai-advisor.dlx.e2e-" + RUN);
            rabbit.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    static final String FEEDBACK_TOKEN = "e2e-feedback-token-" + Long.toHexString(System.nanoTime());
    static final String READ_TOKEN = "e2e-read-token-" + Long.toHexString(System.nanoTime());

    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(s3Env);
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static void runner(String... args) throws Exception {
        Processes.Run r = Processes.runner(env(), work, args);
        assertThat(r.exitCode()).as("training-runner %s:%n%s", String.join(" ", args), r.output()).isZero();
    }

    private static Map<String, String> serviceEnv() {
        return env("MODEL_URI_ANOMALY", registry + "/order-anomaly@production",
                "ADVISOR_EVENTS_ENABLED", "true",
                "ADVISOR_EVENTS_EXCHANGE", EXCHANGE, "ADVISOR_EVENTS_QUEUE", QUEUE,
                "ADVISOR_EVENTS_DEAD_LETTER_EXCHANGE", "ai-advisor.dlx.e2e-" + RUN, "ADVISOR_EVENTS_DEAD_LETTER_QUEUE", QUEUE + ".dlq",
                "ADVISOR_EVENTS_SHARED_CLAIMS", "true", "SPRING_DATA_REDIS_HOST", "127.0.0.1",
                "SPRING_DATASOURCE_URL", DB.url(), "SPRING_DATASOURCE_USERNAME", "postgres",
                "ADVISOR_MODELS_WATCH_INTERVAL", "1s", "ADVISOR_FEEDBACK_REFRESH_INTERVAL", "1s",
                "SPRING_CLOUD_VAULT_ENABLED", "false",
                // feedback needs the role feedback (the service's access control): order-service would hold this token
                "ADVISOR_SECURITY_FEEDBACK_TOKEN", FEEDBACK_TOKEN, "ADVISOR_SECURITY_READ_TOKEN", READ_TOKEN);
    }

    @Test
    void theLoopClosesAcrossTwoReplicas() throws Exception {
        // 1. a first model, trained on generated data, published and promoted to production
        Path orders = work.resolve("orders.csv");
        DataGenerator.orders(orders, 4000, 0.1, 5);
        runner("train", "anomaly", "--data", orders.toString(), "--model-out", work.resolve("m1").toString(),
                "--contamination", "0.1", "--n-estimators", "100", "--model-version", "e2e-v1");
        runner("publish", "--model-dir", work.resolve("m1").toString(), "--registry", registry, "--promote", "production");

        try (Processes.Service a = new Processes.Service("replica-a", serviceEnv(), work);
             Processes.Service b = new Processes.Service("replica-b", serviceEnv(), work)) {
            a.awaitReady(Duration.ofMinutes(3));
            b.awaitReady(Duration.ofMinutes(3));

            // 2. order-service-style events (as Jackson2JsonMessageConverter sends them), 1 in 5 delivered twice
            Path live = work.resolve("live.csv");
            DataGenerator.orders(live, EVENTS, 0.1, 77);
            List<OrderRow> rows = Datasets.orders(live).rows();
            Set<String> expectedAlerts = new HashSet<>();
            AnomalyDetector v1 = (AnomalyDetector) withS3(() -> ModelLoader.load(registry + "/order-anomaly@production"));
            for (int i = 0; i < rows.size(); i++) {
                OrderRow r = rows.get(i);
                String id = "e2e-" + RUN + "-" + i;
                if (v1.score(OrderMetrics.of(r)).anomalous()) {
                    expectedAlerts.add(id);
                }
                byte[] body = JSON.writeValueAsBytes(Map.of("id", id, "productId", "SKU-1", "quantity", (int) r.itemCount(),
                        "status", "CREATED", "avgProcessingMs", r.avgProcessingMs(), "itemCount", r.itemCount(),
                        "paymentScore", r.paymentScore()));
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                        .deliveryMode(2).headers(Map.of("__TypeId__", "com.shop.orderservice.dto.OrderCreatedEvent")).build();
                channel.basicPublish(EXCHANGE, "order.created", props, body);
                if (i % 5 == 0) {
                    channel.basicPublish(EXCHANGE, "order.created", props, body); // a redelivery
                }
            }
            assertThat(expectedAlerts).as("the live sample holds anomalies").hasSizeGreaterThan(5);

            // 3. exactly one alert per anomalous order, whichever replica consumed which copy
            Map<String, Integer> alerts = new LinkedHashMap<>();
            Map<String, String> predictionIds = new HashMap<>();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (alerts.size() < expectedAlerts.size() && Instant.now().isBefore(deadline)) {
                GetResponse m = channel.basicGet(ALERTS, true);
                if (m == null) {
                    Thread.sleep(50);
                    continue;
                }
                JsonNode alert = JSON.readTree(new String(m.getBody(), StandardCharsets.UTF_8));
                alerts.merge(alert.get("order_id").asText(), 1, Integer::sum);
                predictionIds.put(alert.get("order_id").asText(), alert.get("prediction_id").asText());
            }
            Thread.sleep(2000); // a duplicate alert would arrive within this
            for (GetResponse m; (m = channel.basicGet(ALERTS, true)) != null; ) {
                alerts.merge(JSON.readTree(m.getBody()).get("order_id").asText(), 1, Integer::sum);
            }
            assertThat(alerts.keySet()).isEqualTo(expectedAlerts);
            assertThat(alerts.values()).as("alerts per anomalous order").containsOnly(1);

            // 4. feedback for every order through replica B: labels by order id, the alerted ones by prediction id
            for (int i = 0; i < rows.size(); i++) {
                String id = "e2e-" + RUN + "-" + i;
                Map<String, Object> fb = new HashMap<>(Map.of("actual_label", rows.get(i).label()));
                if (predictionIds.containsKey(id)) {
                    fb.put("prediction_id", predictionIds.get(id));
                } else {
                    fb.put("order_id", id);
                }
                var res = Processes.postJson(b.url("/api/v1/feedback"), JSON.writeValueAsString(fb), FEEDBACK_TOKEN);
                assertThat(res.statusCode()).as("feedback %s: %s", id, res.body()).isEqualTo(200);
            }
            // both replicas report the same live precision, computed from the shared store
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                double pa = Processes.scrape(a.metrics(), "advisor_feedback_precision", "model=\"order-anomaly\"");
                double pb = Processes.scrape(b.metrics(), "advisor_feedback_precision", "model=\"order-anomaly\"");
                assertThat(pa).isFinite().isEqualTo(pb);
                assertThat(Processes.scrape(a.metrics(), "advisor_feedback_window", "kind=\"label\"")).isEqualTo(EVENTS);
            });
            assertThat(Processes.scrape(a.metrics(), "advisor_predictions_total", "source=\"event\"", "outcome=\"ok\"")
                    + Processes.scrape(b.metrics(), "advisor_predictions_total", "source=\"event\"", "outcome=\"ok\""))
                    .as("every event scored once, through the pipeline").isEqualTo(EVENTS);

            // 5. a snapshot of the captured, labelled orders; a model trained from it, published and promoted
            Processes.Run export = Processes.runner(env(), work, "dataset", "export", "--jdbc-url",
                    DB.url(), "--user", "postgres", "--since", "2000-01-01T00:00:00Z",
                    "--until", Instant.now().plusSeconds(60).toString(), "--out", dataRoot, "--name", "orders", "--parts", "orders");
            assertThat(export.exitCode()).as(export.output()).isZero();
            String snapshot = snapshotUri(export.output());
            runner("train", "anomaly", "--data", snapshot, "--model-out", work.resolve("m2").toString(),
                    "--contamination", "0.1", "--n-estimators", "100", "--model-version", "e2e-v2");
            runner("publish", "--model-dir", work.resolve("m2").toString(), "--registry", registry, "--promote", "production");

            // 6. both replicas follow the alias within the watch interval (1 s) plus the load
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (Processes.Service s : List.of(a, b)) {
                    var res = Processes.get(s.url("/api/v1/models/order-anomaly"), READ_TOKEN); // manifests need role read
                    assertThat(res.statusCode()).as(s.name + ": " + res.body()).isEqualTo(200);
                    JsonNode served = JSON.readTree(res.body());
                    assertThat(served.get("version").asText()).as(s.name).isEqualTo("e2e-v2");
                    assertThat(served.at("/manifest/dataset/uri").asText()).as("the new model names its snapshot")
                            .startsWith(snapshot.replaceAll("/$", ""));
                }
            });
        }
    }

    /** The snapshot URI the export printed (a line naming datasets/orders/<id>). */
    private static String snapshotUri(String output) {
        return output.lines().map(String::strip).flatMap(l -> java.util.Arrays.stream(l.split("\\s+")))
                .filter(w -> w.startsWith(dataRoot) && w.contains("/datasets/orders/"))
                .findFirst().orElseThrow(() -> new AssertionError("no snapshot URI in the export output:\n" + output));
    }

    /** Runs {@code call} with this test's S3 settings as system properties (the registry reads them there too). */
    private static <T> T withS3(java.util.concurrent.Callable<T> call) throws Exception {
        return S3ProxyFixture.withClientProperties(s3.endpoint().toString(), call);
    }
}
