package com.orderintel.advisor.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderintel.advisor.support.CaptureTestBase;
import com.orderintel.advisor.support.TestDatabases;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.dataset.OrderRow;
import com.orderintel.llm.OfflineNoteClassifier;
import com.orderintel.prompt.PromptParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An order's optional note is enriched in the capture path and stored beside the capture (order_note_enrichments,
 * Flyway V5) on the real PostgreSQL, without a provider: the offline rules answer, deterministically, and the row
 * records the pinned prompt version that defines the features. Requests without a note behave exactly as before.
 */
class NoteEnrichmentCaptureTest extends CaptureTestBase {

    @RegisterExtension
    static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_notes");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.capture(r, DB);
    }

    @Test
    void notesAreEnrichedOffTheRequestPathAndStoredWithTheirPromptVersion() throws Exception {
        awaitReady();
        OrderRow row = MODELS.orderRows.getFirst();
        String note = "The parcel arrived broken and the courier was rude. Terrible!";
        ResponseEntity<String> res = post("/api/v1/anomaly", json.createObjectNode().put("order_id", "note-1")
                .put("avg_processing_ms", row.avgProcessingMs()).put("item_count", row.itemCount())
                .put("payment_score", row.paymentScore()).put("note", note).toString());
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        String predictionId = json.readTree(res.getBody()).get("prediction_id").asText();
        // the review alias, in a batch, next to an order without any note
        ResponseEntity<String> batch = post("/api/v1/anomaly/batch", "{\"items\":["
                + "{\"order_id\":\"note-2\",\"avg_processing_ms\":300,\"item_count\":2,\"payment_score\":0.9,"
                + "\"review\":\"Great quality, I love it. Thanks!\"},"
                + "{\"order_id\":\"note-3\",\"avg_processing_ms\":300,\"item_count\":2,\"payment_score\":0.9}]}");
        assertThat(batch.getStatusCode().value()).as(batch.getBody()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> // the table appears with the first write
                assertThat(DB.count("SELECT count(*) FROM order_note_enrichments WHERE order_id LIKE 'note-%'")).isEqualTo(2));
        assertThat(DB.count("SELECT count(*) FROM order_note_enrichments WHERE order_id = 'note-3'")).isZero();
        byte[] template = getClass().getResourceAsStream("/prompts/order-note-features/v2.md").readAllBytes();
        try (Connection c = DB.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT prediction_id, source, sentiment, category, feature_source, model, "
                     + "prompt_name, prompt_version, prompt_sha256, note_sha256, note_chars FROM order_note_enrichments "
                     + "WHERE order_id = 'note-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("prediction_id")).isEqualTo(predictionId);
            assertThat(rs.getString("source")).isEqualTo("rest");
            // what the offline rules say for this text, every time
            assertThat(rs.getString("sentiment")).isEqualTo("negative")
                    .isEqualTo(new OfflineNoteClassifier().classify(note).sentiment());
            assertThat(rs.getString("category")).isEqualTo("return");
            assertThat(rs.getString("feature_source")).isEqualTo("fallback");
            assertThat(rs.getString("model")).isEqualTo(OfflineNoteClassifier.RULES_VERSION);
            assertThat(rs.getString("prompt_name")).isEqualTo("order-note-features");
            assertThat(rs.getString("prompt_version")).isEqualTo("v2");
            assertThat(rs.getString("prompt_sha256")).isEqualTo(PromptParser.sha256(template));
            assertThat(rs.getString("note_sha256")).isEqualTo(PromptParser.sha256(note.getBytes(StandardCharsets.UTF_8)));
            assertThat(rs.getInt("note_chars")).isEqualTo(note.length());
        }
        assertThat(DB.count("SELECT count(*) FROM order_note_enrichments WHERE order_id = 'note-2' "
                + "AND sentiment = 'positive' AND category = 'product'")).isEqualTo(1);
        assertThat(meters.get("advisor.llm.note.enrichments").tags("source", "fallback", "outcome", "stored").counter().count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aTooLongNoteIsA400NamingTheField() throws Exception {
        awaitReady();
        ResponseEntity<String> res = post("/api/v1/anomaly", json.createObjectNode().put("avg_processing_ms", 300)
                .put("item_count", 2).put("payment_score", 0.9).put("note", "x".repeat(8001)).toString());
        assertThat(res.getStatusCode().value()).isEqualTo(400);
        JsonNode problem = json.readTree(res.getBody());
        assertThat(problem.toString()).contains("note").contains("at most 8000 characters");
    }
}
