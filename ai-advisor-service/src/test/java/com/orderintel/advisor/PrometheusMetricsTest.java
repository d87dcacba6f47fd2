package com.orderintel.advisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderintel.advisor.support.PrometheusText;
import com.orderintel.advisor.support.ServingTestBase;
import com.orderintel.dataset.OrderRow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Sends known traffic, scrapes /actuator/prometheus, parses it and checks each advisor metric family moved as
 * the traffic implies (deltas, since the Spring context and its counters are shared with other test classes).
 */
class PrometheusMetricsTest extends ServingTestBase {

    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void ready() throws InterruptedException {
        awaitReady();
    }

    @Test
    void metricsReflectTheTraffic() throws Exception {
        PrometheusText before = scrape();
        List<OrderRow> rows = MODELS.orderRows.subList(1000, 1200);
        int flagged = 0;
        for (OrderRow r : rows.subList(0, 50)) {
            ObjectNode body = order(r);
            var res = post("/api/v1/anomaly", body.toString());
            assertThat(res.getStatusCode().value()).isEqualTo(200);
            flagged += json.readTree(res.getBody()).get("is_anomaly").asBoolean() ? 1 : 0;
        }
        ArrayNode items = json.createArrayNode();
        rows.subList(50, 200).forEach(r -> items.add(order(r)));
        var batch = post("/api/v1/anomaly/batch", json.createObjectNode().set("items", items).toString());
        for (var p : json.readTree(batch.getBody()).get("predictions")) {
            flagged += p.get("is_anomaly").asBoolean() ? 1 : 0;
        }
        for (int i = 0; i < 3; i++) {
            assertThat(post("/api/v1/anomaly", "{\"avg_processing_ms\":-1,\"item_count\":1,\"payment_score\":0.5}")
                    .getStatusCode().value()).isEqualTo(400);
        }
        var forecast = post("/api/v1/forecast", "{\"date\":\"2024-08-15\",\"product_id\":\"SKU-001\",\"avg_basket_value\":85,\"promo_flag\":0}");
        String id = json.readTree(forecast.getBody()).get("prediction_id").asText();
        double predicted = json.readTree(forecast.getBody()).get("predicted_demand").asDouble();
        post("/api/v1/feedback", json.createObjectNode().put("prediction_id", id).put("actual_demand", predicted + 4).toString());

        String raw = http.getForObject("/actuator/prometheus", String.class);
        promtoolAcceptsTheFormat(raw);
        PrometheusText after = PrometheusText.parse(raw);

        assertThat(after.type("advisor_predictions_total")).isEqualTo("counter");
        assertThat(delta(before, after, "advisor_predictions_total", "model", "order-anomaly", "outcome", "ok")).isEqualTo(200);
        assertThat(delta(before, after, "advisor_predictions_total", "model", "order-anomaly", "outcome", "invalid_input")).isEqualTo(3);
        assertThat(delta(before, after, "advisor_predictions_total", "model", "demand-forecast", "outcome", "ok")).isEqualTo(1);
        assertThat(delta(before, after, "advisor_anomalies_flagged_total", "model", "order-anomaly")).isEqualTo(flagged);

        double rate = after.value("advisor_anomaly_rate", "model", "order-anomaly");
        assertThat(rate).isBetween(0.0, 1.0);

        assertThat(after.value("advisor_model_info", "name", "order-anomaly", "version", "v1",
                "commit", MODELS.anomalyManifest.gitCommit())).isEqualTo(1.0);
        assertThat(after.value("advisor_model_info", "name", "demand-forecast", "version", "v1")).isEqualTo(1.0);
        assertThat(after.value("advisor_model_age_seconds", "model", "order-anomaly")).isPositive();

        for (String feature : List.of("avg_processing_ms", "item_count", "payment_score")) {
            double psi = after.value("advisor_feature_psi", "model", "order-anomaly", "feature", feature);
            // Requests are drawn from the training data, so the window matches the training histogram closely.
            assertThat(psi).as(feature).isFinite().isBetween(0.0, 0.25);
        }
        assertThat(after.find("advisor_feature_psi", "model", "demand-forecast")).extracting(s -> s.labels().get("feature"))
                .contains("avg_basket_value", "promo_flag", "day_of_week");

        assertThat(after.value("advisor_feedback_mae", "model", "demand-forecast")).isFinite().isPositive();
        assertThat(delta(before, after, "advisor_feedback_total", "model", "demand-forecast")).isEqualTo(1);

        // Latency histograms per endpoint, with buckets for percentiles.
        assertThat(delta(before, after, "http_server_requests_seconds_count", "uri", "/api/v1/anomaly", "status", "200")).isEqualTo(50);
        assertThat(after.find("http_server_requests_seconds_bucket", "uri", "/api/v1/anomaly/batch")).hasSizeGreaterThan(10);
        // nothing failed during this traffic (the shared context may hold failures other tests provoked)
        assertThat(after.find("advisor_model_load_failures_total").stream().mapToDouble(x -> x.value()).sum())
                .isEqualTo(before.find("advisor_model_load_failures_total").stream().mapToDouble(x -> x.value()).sum());
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(http.getForObject("/actuator/prometheus", String.class));
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private ObjectNode order(OrderRow r) {
        return json.createObjectNode().put("order_id", r.orderId()).put("avg_processing_ms", r.avgProcessingMs())
                .put("item_count", r.itemCount()).put("payment_score", r.paymentScore());
    }

    /** promtool (Prometheus' own tool) must parse the exposition; lint hints about naming are not failures. */
    private static void promtoolAcceptsTheFormat(String text) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotContain("error while linting", "text format parsing error");
    }
}
