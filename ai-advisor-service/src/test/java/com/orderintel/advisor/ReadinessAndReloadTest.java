package com.orderintel.advisor;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.AppTestBase;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.PrometheusText;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.OrderRow;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single-model deploy (MODEL_URI = an alias that does not exist yet): not ready while the model cannot be
 * loaded, ready once the alias is promoted; reload swaps models under live traffic; bad models are refused
 * while the old one keeps serving.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false",
        "spring.rabbitmq.listener.simple.auto-startup=false",
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=200",
        "advisor.models.load-backoff=100ms",
        "advisor.models.load-max-backoff=200ms",
        Credentials.ADMIN_TOKEN_PROPERTY})
class ReadinessAndReloadTest extends AppTestBase {

    private static final TrainedModels MODELS = TrainedModels.create();

    @DynamicPropertySource
    static void modelUri(DynamicPropertyRegistry registry) {
        registry.add("advisor.models.uri", () -> MODELS.registryLocation() + "/order-anomaly@production");
    }

    @Test
    void readinessFollowsModelLoadingAndReloadSwapsSafely() throws Exception {
        // 1. The alias does not exist yet: live, but not ready, and scoring is 503.
        assertThat(status("/actuator/health/liveness")).isEqualTo(200);
        ResponseEntity<String> readiness = http.getForEntity("/actuator/health/readiness", String.class);
        assertThat(readiness.getStatusCode().value()).isEqualTo(503);
        assertThat(json.readTree(readiness.getBody()).get("status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(status("/v2/health/ready")).isEqualTo(503);
        ResponseEntity<String> unavailable = post("/api/v1/anomaly", orderJson(MODELS.orderRows.getFirst()));
        assertThat(unavailable.getStatusCode().value()).isEqualTo(503);
        assertThat(json.readTree(unavailable.getBody()).get("detail").asText()).contains("no order-anomaly model");

        // 2. Promote: the background retries pick it up and readiness turns UP.
        MODELS.store.promote("order-anomaly", "production", "v1");
        awaitStatus("/actuator/health/readiness", 200);
        assertThat(status("/v2/health/ready")).isEqualTo(200);
        assertThat(servedVersion()).isEqualTo("v1");
        OrderRow probe = MODELS.orderRows.get(17);
        assertThat(score(probe).get("anomaly_score").asDouble()).isEqualTo(MODELS.anomalyModel.score(OrderMetrics.of(probe)).score());

        // 3. New version behind the alias; reload (no body re-resolves the alias) under concurrent traffic.
        TrainedModels.Published v2 = MODELS.publishAnomalyVersion("v2");
        MODELS.store.promote("order-anomaly", "production", "v2");
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    ResponseEntity<String> r = post("/api/v1/anomaly", orderJson(probe));
                    seen.add(r.getStatusCode().value() + " " + version(r));
                }
            }));
        }
        Thread.sleep(300);
        ResponseEntity<String> reload = post("/api/v1/admin/models/reload", "");
        assertThat(reload.getStatusCode().value()).as(reload.getBody()).isEqualTo(200);
        assertThat(json.readTree(reload.getBody()).get(0).get("version").asText()).isEqualTo("v2");
        Thread.sleep(300);
        stop.set(true);
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(10));
        }
        assertThat(seen).isNotEmpty().allMatch(s -> s.equals("200 v1") || s.equals("200 v2"));
        assertThat(seen).contains("200 v1", "200 v2");
        AnomalyResult expected = v2.model().score(OrderMetrics.of(probe));
        assertThat(score(probe).get("anomaly_score").asDouble()).isEqualTo(expected.score());

        // 4. A corrupted artifact is refused; v2 keeps serving.
        TrainedModels.Published v3 = MODELS.publishAnomalyVersion("v3");
        MODELS.corrupt("v3", "order-anomaly", "model.iforest");
        ResponseEntity<String> refused = post("/api/v1/admin/models/reload", "{\"anomaly_uri\":\"" + v3.uri() + "\"}");
        assertThat(refused.getStatusCode().value()).isEqualTo(422);
        JsonNode problem = json.readTree(refused.getBody());
        assertThat(problem.get("reason").asText()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(problem.get("detail").asText()).contains(v3.uri());
        assertThat(servedVersion()).isEqualTo("v2");
        assertThat(score(probe).get("anomaly_score").asDouble()).isEqualTo(expected.score());

        // 5. A model for the wrong slot, and a malformed URI, are refused too.
        ResponseEntity<String> wrongSlot = post("/api/v1/admin/models/reload", "{\"demand_uri\":\"" + v2.uri() + "\"}");
        assertThat(wrongSlot.getStatusCode().value()).isEqualTo(422);
        assertThat(json.readTree(wrongSlot.getBody()).get("detail").asText()).contains("REGRESSION", "ANOMALY");
        ResponseEntity<String> badUri = post("/api/v1/admin/models/reload", "{\"uri\":\"ftp://nowhere/x\"}");
        assertThat(badUri.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(badUri.getBody()).get("detail").asText()).contains("unsupported scheme");
        assertThat(servedVersion()).isEqualTo("v2");

        // Names a caller puts in a reload URI never become metric labels (cardinality): slot name or "other".
        for (int i = 0; i < 5; i++) {
            assertThat(post("/api/v1/admin/models/reload", "{\"uri\":\"" + MODELS.registryLocation() + "/zz-random-" + i
                    + "@production\"}").getStatusCode().is4xxClientError()).isTrue();
        }
        String exposition = http.getForObject("/actuator/prometheus", String.class);
        assertThat(exposition).doesNotContain("zz-random");
        assertThat(PrometheusText.parse(exposition).value("advisor_model_load_failures_total", "model", "other", "reason", "NOT_FOUND"))
                .isEqualTo(5);

        // 6. Failures were counted: NOT_FOUND while the alias was missing, the checksum mismatch once.
        PrometheusText metrics = PrometheusText.parse(http.getForObject("/actuator/prometheus", String.class));
        assertThat(metrics.value("advisor_model_load_failures_total", "model", "order-anomaly", "reason", "NOT_FOUND")).isPositive();
        assertThat(metrics.value("advisor_model_load_failures_total", "model", "order-anomaly", "reason", "CHECKSUM_MISMATCH")).isEqualTo(1);
        assertThat(metrics.value("advisor_model_info", "name", "order-anomaly", "version", "v2")).isEqualTo(1);
        assertThat(metrics.find("advisor_model_info", "name", "order-anomaly", "version", "v1")).isEmpty();
    }

    private String servedVersion() throws Exception {
        return json.readTree(http.getForObject("/api/v1/models/order-anomaly", String.class)).get("version").asText();
    }

    private JsonNode score(OrderRow r) throws Exception {
        ResponseEntity<String> res = post("/api/v1/anomaly", orderJson(r));
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        return json.readTree(res.getBody());
    }

    private String version(ResponseEntity<String> r) {
        try {
            return json.readTree(r.getBody()).at("/model/version").asText();
        } catch (Exception e) {
            return "unreadable";
        }
    }

    private static String orderJson(OrderRow r) {
        return "{\"order_id\":\"" + r.orderId() + "\",\"avg_processing_ms\":" + r.avgProcessingMs() + ",\"item_count\":"
                + r.itemCount() + ",\"payment_score\":" + r.paymentScore() + "}";
    }


    private void awaitStatus(String path, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline) && status(path) != expected) {
            Thread.sleep(50);
        }
        assertThat(status(path)).isEqualTo(expected);
    }
}
