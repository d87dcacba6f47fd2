package com.orderintel.advisor.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.CaptureTestBase;
import com.orderintel.advisor.support.TestDatabases;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.dataset.OrderRow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attack suite's labels part in the service, against the real PostgreSQL (a database of this class's own):
 * anonymous callers (public scoring) can still score, but their scorings are captured as untrusted, so re-scoring a
 * real order with crafted features does not re-bind its label, does not move the rolling precision and takes no
 * feedback; a label for an order or product-day that no trusted source scored is refused without being stored (so
 * the real one is not blocked later); an absurd demand is refused; a token presented on the open scoring path must
 * be valid.
 */
@Tag("attack")
class LabelTrustAttackTest extends CaptureTestBase {

    @RegisterExtension
    static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_labels");
    private final HttpClient anonymous = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.capture(r, DB);
        r.add("advisor.feedback.refresh-interval", () -> "1h"); // the gauge is refreshed by each feedback here
    }

    /** A request without Authorization header (the shared client speaks as admin). */
    private HttpResponse<String> send(String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return anonymous.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String order(String orderId, double ms, double items, double pay) {
        return json.createObjectNode().put("order_id", orderId).put("avg_processing_ms", ms).put("item_count", items)
                .put("payment_score", pay).toString();
    }

    private String trustedScore(String orderId, OrderRow r) throws Exception {
        ResponseEntity<String> res = post("/api/v1/anomaly", order(orderId, r.avgProcessingMs(), r.itemCount(), r.paymentScore()));
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        return json.readTree(res.getBody()).get("prediction_id").asText();
    }

    private ResponseEntity<String> label(String key, String value, int actual) {
        return post("/api/v1/feedback", json.createObjectNode().put(key, value).put("actual_label", actual).toString());
    }

    @Test
    void anAnonymousRescoringNeitherRebindsTheLabelNorMovesThePrecision() throws Exception {
        awaitReady();
        List<OrderRow> normal = MODELS.orderRows.stream().filter(r -> r.label() == 0).limit(31).toList();
        List<String> trusted = new ArrayList<>();
        List<String> crafted = new ArrayList<>();
        for (int i = 0; i < normal.size(); i++) {
            trusted.add(trustedScore("shop-" + i, normal.get(i)));
        }
        for (int i = 0; i < normal.size(); i++) { // the attack: the same order ids, crafted features, no token
            HttpResponse<String> res = send("/api/v1/anomaly", order("shop-" + i, 7000, 40, 0.05), null);
            assertThat(res.statusCode()).as("public scoring stays open: " + res.body()).isEqualTo(200);
            JsonNode body = json.readTree(res.body());
            assertThat(body.get("is_anomaly").asBoolean()).as("the crafted features are flagged").isTrue();
            crafted.add(body.get("prediction_id").asText());
        }
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> // the tables appear with the first write
                assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'shop-%'")).isEqualTo(62));
        assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'shop-%' AND trusted "
                + "AND avg_processing_ms <> 7000")).isEqualTo(31);
        assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'shop-%' AND NOT trusted "
                + "AND avg_processing_ms = 7000 AND source = 'rest'")).isEqualTo(31);

        // the shop's labels, sent later by order id, attach to what the shop scored
        for (int i = 0; i < normal.size(); i++) {
            ResponseEntity<String> fb = label("order_id", "shop-" + i, 0);
            assertThat(fb.getStatusCode().value()).as(fb.getBody()).isEqualTo(200);
            assertThat(json.readTree(fb.getBody()).get("prediction_id").asText()).isEqualTo(trusted.get(i));
        }
        assertThat(DB.count("SELECT count(*) FROM order_labels l JOIN scored_orders s ON s.prediction_id = l.prediction_id "
                + "WHERE l.order_id LIKE 'shop-%' AND s.trusted AND s.avg_processing_ms <> 7000")).isEqualTo(31);
        // before: every label joined the crafted, flagged scoring and the rolling precision went to 0.0 over 31 labels
        long flagged = DB.count("SELECT count(*) FROM order_labels l JOIN scored_orders s ON s.prediction_id = l.prediction_id "
                + "WHERE l.order_id LIKE 'shop-%' AND s.is_anomaly");
        double precision = meters.get("advisor.feedback.precision").tag("model", "order-anomaly").gauge().value();
        assertThat(flagged).as("the shop's own scorings of normal orders are not flagged").isZero();
        assertThat(precision).as("no flagged labelled order: precision undefined, not 0.0").isNaN();
        assertThat(meters.get("advisor.feedback.window").tags("model", "order-anomaly", "kind", "label").gauge().value())
                .isEqualTo(31);

        // feedback for the anonymous scoring itself: refused, nothing stored
        ResponseEntity<String> onCrafted = label("prediction_id", crafted.getFirst(), 1);
        assertThat(onCrafted.getStatusCode().value()).as(onCrafted.getBody()).isEqualTo(422);
        assertThat(json.readTree(onCrafted.getBody()).get("detail").asText()).contains(crafted.getFirst(), "anonymous caller");
    }

    @Test
    void aLabelForAnOrderNoTrustedSourceScoredIsRefusedAndDoesNotBlockTheRealOne() throws Exception {
        awaitReady();
        ResponseEntity<String> unknown = label("order_id", "never-scored-1", 1);
        assertThat(unknown.getStatusCode().value()).as(unknown.getBody()).isEqualTo(404);
        assertThat(json.readTree(unknown.getBody()).get("detail").asText()).contains("never-scored-1", "not scored by a trusted source");
        assertThat(DB.count("SELECT count(*) FROM order_labels WHERE label_key = 'never-scored-1'")).isZero();

        // scored anonymously only: still refused
        assertThat(send("/api/v1/anomaly", order("never-scored-1", 7000, 40, 0.05), null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                DB.count("SELECT count(*) FROM scored_orders WHERE order_id = 'never-scored-1'") == 1);
        assertThat(label("order_id", "never-scored-1", 1).getStatusCode().value()).isEqualTo(404);

        // then the shop scores it: the real label is taken (before: 409, the early label held the key)
        OrderRow r = MODELS.orderRows.getFirst();
        String pid = trustedScore("never-scored-1", r);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                DB.count("SELECT count(*) FROM scored_orders WHERE order_id = 'never-scored-1' AND trusted") == 1);
        ResponseEntity<String> real = label("order_id", "never-scored-1", r.label());
        assertThat(real.getStatusCode().value()).as(real.getBody()).isEqualTo(200);
        assertThat(DB.count("SELECT count(*) FROM order_labels WHERE label_key = 'never-scored-1' AND prediction_id = '"
                + pid + "'")).isEqualTo(1);

        // demand: a product-day nobody forecast, and an absurd value
        ResponseEntity<String> day = post("/api/v1/feedback", json.createObjectNode().put("product_id", "SKU-NEVER")
                .put("date", "2026-01-05").put("actual_demand", 12).toString());
        assertThat(day.getStatusCode().value()).as(day.getBody()).isEqualTo(404);
        assertThat(json.readTree(day.getBody()).get("detail").asText()).contains("SKU-NEVER", "2026-01-05");
        assertThat(DB.count("SELECT count(*) FROM demand_actuals WHERE product_id = 'SKU-NEVER'")).isZero();
        ResponseEntity<String> huge = post("/api/v1/feedback", json.createObjectNode().put("product_id", "SKU-1")
                .put("date", "2026-01-05").put("actual_demand", 1e300).toString());
        assertThat(huge.getStatusCode().value()).as(huge.getBody()).isEqualTo(400);
        assertThat(huge.getBody()).contains("actual_demand", "advisor.feedback.max-demand");
    }

    @Test
    void aTokenPresentedOnTheOpenScoringPathIsCheckedAndMakesTheScoringTrusted() throws Exception {
        awaitReady();
        HttpResponse<String> forged = send("/api/v1/anomaly", order("tok-1", 1500, 3, 0.8), "not-a-valid-token-123456");
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
        HttpResponse<String> reader = send("/api/v1/anomaly", order("tok-2", 1500, 3, 0.8), Credentials.READ_TOKEN);
        assertThat(reader.statusCode()).as(reader.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                DB.count("SELECT count(*) FROM scored_orders WHERE order_id = 'tok-2' AND trusted") == 1);
        assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id = 'tok-1'")).isZero();
    }
}
