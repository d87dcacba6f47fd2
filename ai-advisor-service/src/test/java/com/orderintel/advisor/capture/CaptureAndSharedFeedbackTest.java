package com.orderintel.advisor.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderintel.advisor.support.CaptureTestBase;
import com.orderintel.advisor.support.TestDatabases;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.dataset.OrderRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Capture and feedback against the real PostgreSQL (a database of this class's own): every scored record reaches
 * the shared store with its source, model version and prediction id; feedback by prediction id or by order id is
 * stored once, and the rolling precision comes from the store.
 */
class CaptureAndSharedFeedbackTest extends CaptureTestBase {

    @RegisterExtension
    static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_capture");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.capture(r, DB);
    }

    private JsonNode score(OrderRow r, String orderId) throws Exception {
        ResponseEntity<String> res = post("/api/v1/anomaly", json.createObjectNode().put("order_id", orderId)
                .put("avg_processing_ms", r.avgProcessingMs()).put("item_count", r.itemCount())
                .put("payment_score", r.paymentScore()).toString());
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        return json.readTree(res.getBody());
    }

    @Test
    void everyScoredOrderIsCapturedAndFeedbackIsSharedThroughTheStore() throws Exception {
        awaitReady();
        // 10 anomalous and 30 normal orders of the generated data, so some are flagged
        java.util.List<OrderRow> sample = new java.util.ArrayList<>(MODELS.orderRows.stream().filter(r -> r.label() == 1).limit(10).toList());
        sample.addAll(MODELS.orderRows.stream().filter(r -> r.label() == 0).limit(30).toList());
        int n = sample.size();
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = score(sample.get(i), "cap-" + i).get("prediction_id").asText();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'cap-%'")).isEqualTo(n));
        assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'cap-%' AND source = 'rest' "
                + "AND model_name = 'order-anomaly' AND model_version = 'v1'")).isEqualTo(n);
        assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE prediction_id = '" + ids[7] + "' AND order_id = 'cap-7' "
                + "AND avg_processing_ms = " + sample.get(7).avgProcessingMs())).isEqualTo(1);
        assertThat(meters.get("advisor.capture.written").counter().count()).isGreaterThanOrEqualTo(n);

        // feedback: half by prediction id, half by order id; labels = the generator's truth
        for (int i = 0; i < n; i++) {
            var body = json.createObjectNode().put("actual_label", sample.get(i).label());
            if (i % 2 == 0) {
                body.put("prediction_id", ids[i]);
            } else {
                body.put("order_id", "cap-" + i);
            }
            ResponseEntity<String> fb = post("/api/v1/feedback", body.toString());
            assertThat(fb.getStatusCode().value()).as(fb.getBody()).isEqualTo(200);
            assertThat(json.readTree(fb.getBody()).get("model_version").asText()).isEqualTo("v1");
        }
        assertThat(DB.count("SELECT count(*) FROM order_labels WHERE order_id LIKE 'cap-%' AND prediction_id IS NOT NULL"))
                .isEqualTo(n);
        ResponseEntity<String> twice = post("/api/v1/feedback",
                json.createObjectNode().put("order_id", "cap-3").put("actual_label", 1).toString());
        assertThat(twice.getStatusCode().value()).isEqualTo(409);

        // the rolling precision is the store's: flagged-and-labelled over flagged, for these 40 orders
        long flagged = DB.count("SELECT count(*) FROM scored_orders s JOIN order_labels l ON l.prediction_id = s.prediction_id "
                + "WHERE s.is_anomaly");
        long truePositives = DB.count("SELECT count(*) FROM scored_orders s JOIN order_labels l ON l.prediction_id = s.prediction_id "
                + "WHERE s.is_anomaly AND l.is_anomaly");
        assertThat(flagged).as("the sample holds flagged orders").isPositive();
        double gauge = meters.get("advisor.feedback.precision").tag("model", "order-anomaly").gauge().value();
        assertThat(gauge).isEqualTo((double) truePositives / flagged);
        assertThat(meters.get("advisor.feedback.window").tags("model", "order-anomaly", "kind", "label").gauge().value())
                .isEqualTo(n);
    }

    @Test
    void feedbackForAPredictionNobodyMadeIs404() throws Exception {
        ResponseEntity<String> r = post("/api/v1/feedback",
                json.createObjectNode().put("prediction_id", "ffffffff-1-0000000000000000").put("actual_label", 1).toString());
        assertThat(r.getStatusCode().value()).isEqualTo(404);
        assertThat(json.readTree(r.getBody()).get("detail").asText()).contains("ffffffff-1-0000000000000000");
    }
}
