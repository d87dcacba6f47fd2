package com.orderintel.advisor.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.ServingApp;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.OrderRow;
import com.orderintel.llm.NoteFeatureEncoding;
import com.orderintel.registry.ModelCodecs;
import com.orderintel.registry.ModelManifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service serving a model trained with note features (fixture anomaly-notes-v1): a REST call with a note is
 * scored with the note's features, computed in the request by the offline rules, exactly as the trainer's model
 * computes them offline; a call without a note gets the neutral value.
 */
@ServingApp
class NoteFeatureServingTest {

    private static final TrainedModels MODELS = TrainedModels.create();
    private static final Path PKG = TrainedModels.fixture("anomaly-notes-v1");
    private static final String FRAUD = "I did not place this order, this is fraud";

    @Autowired
    TestRestTemplate http;
    private final ObjectMapper json = new ObjectMapper();

    @DynamicPropertySource
    static void modelUris(DynamicPropertyRegistry registry) {
        registry.add("advisor.models.demand-uri", () -> MODELS.demandUri);
        registry.add("advisor.models.anomaly-uri", () -> MODELS.publish(PKG, TrainedModels.manifest(PKG)).toString());
    }

    @BeforeEach
    void ready() throws Exception {
        Credentials.asAdmin(http);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)
                && !http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().is2xxSuccessful()) {
            Thread.sleep(100);
        }
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> res = http.postForEntity(path, new HttpEntity<>(body, headers), String.class);
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        return json.readTree(res.getBody());
    }

    private static String order(OrderRow r, String note) throws Exception {
        return "{\"order_id\":\"" + r.orderId() + "\",\"avg_processing_ms\":" + r.avgProcessingMs() + ",\"item_count\":" + r.itemCount()
                + ",\"payment_score\":" + r.paymentScore() + (note == null ? "" : ",\"note\":" + new ObjectMapper().writeValueAsString(note)) + "}";
    }

    @Test
    void aNoteChangesTheScoreExactlyAsTheTrainedModelComputesIt() throws Exception {
        ModelManifest m = TrainedModels.manifest(PKG);
        IsolationForestModel offline = (IsolationForestModel) ModelCodecs.decode(m, Files.readAllBytes(PKG.resolve(m.artifact().file())));
        OrderRow normal = MODELS.orderRows.stream().filter(r -> r.label() == 0).findFirst().orElseThrow();

        JsonNode plain = post("/api/v1/anomaly", order(normal, null));
        JsonNode fraud = post("/api/v1/anomaly", order(normal, FRAUD));
        JsonNode review = post("/api/v1/anomaly", order(normal, null).replace("}", ",\"review\":\"great fast delivery, thanks\"}"));
        assertThat(fraud.path("model").path("version").asText()).isEqualTo("notes-v1");

        double[] expected = new double[3];
        String[] notes = {null, FRAUD, "great fast delivery, thanks"};
        for (int i = 0; i < 3; i++) {
            expected[i] = offline.score(new OrderMetrics(normal.orderId(), normal.avgProcessingMs(), normal.itemCount(),
                    normal.paymentScore(), NoteFeatureEncoding.offline(notes[i]))).score();
        }
        assertThat(plain.path("anomaly_score").asDouble()).isEqualTo(expected[0]);
        assertThat(fraud.path("anomaly_score").asDouble()).isEqualTo(expected[1]);
        assertThat(review.path("anomaly_score").asDouble()).isEqualTo(expected[2]);
        // the model learnt that fraud notes come with anomalies: the same metrics with one look more anomalous
        assertThat(fraud.path("anomaly_score").asDouble()).isLessThan(plain.path("anomaly_score").asDouble());

        // explain=true names the note features beside the metrics, with the values the rules gave this note
        JsonNode explained = post("/api/v1/anomaly?explain=true", order(normal, FRAUD)).path("explanation");
        java.util.Map<String, Double> values = new java.util.HashMap<>();
        explained.path("features").forEach(f -> values.put(f.path("feature").asText(), f.path("value").asDouble()));
        assertThat(values).hasSize(10).containsEntry("note_sentiment", -1.0).containsEntry("note_category_fraud", 1.0)
                .containsEntry("note_category_delivery", 0.0);

        // a batch scores each item with its own note, as single calls do
        JsonNode batch = post("/api/v1/anomaly/batch", "{\"items\":[" + order(normal, FRAUD) + "," + order(normal, null) + "]}");
        JsonNode items = batch.path("predictions");
        assertThat(items.get(0).path("anomaly_score").asDouble()).isEqualTo(expected[1]);
        assertThat(items.get(1).path("anomaly_score").asDouble()).isEqualTo(expected[0]);
    }
}
