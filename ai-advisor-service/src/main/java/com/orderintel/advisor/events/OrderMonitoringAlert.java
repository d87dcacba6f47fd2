package com.orderintel.advisor.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderintel.advisor.model.ModelRef;
import com.orderintel.anomaly.AnomalyExplanation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code order.monitoring} alert (schema: docs/schemas/order-monitoring-alert.schema.json). Field names are
 * snake_case like the REST API; {@code prediction_id} is the id the serving pipeline gave this score, for feedback;
 * {@code explanation} says which features made the order odd, most path-shortening first, with a summary in words.
 */
public record OrderMonitoringAlert(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("alert_id") String alertId,
        @JsonProperty("order_id") String orderId,
        @JsonProperty("prediction_id") String predictionId,
        @JsonProperty("is_anomaly") boolean isAnomaly,
        @JsonProperty("anomaly_score") double anomalyScore,
        @JsonProperty("approx_probability") double approxProbability,
        @JsonProperty("model") ModelRef model,
        @JsonProperty("features") Map<String, Double> features,
        @JsonProperty("imputed_features") List<String> imputedFeatures,
        @JsonProperty("explanation") AnomalyExplanation explanation,
        @JsonProperty("original_payload") JsonNode originalPayload,
        @JsonProperty("timestamp") Instant timestamp) {

    public static final int SCHEMA_VERSION = 1;

    static OrderMonitoringAlert of(String orderId, OrderScorer.EventScore s, AnomalyExplanation explanation, JsonNode payload) {
        return new OrderMonitoringAlert(SCHEMA_VERSION, UUID.randomUUID().toString(), orderId, s.predictionId(),
                s.result().anomalous(), s.result().score(), s.result().approxProbability(), ModelRef.of(s.scored().model()),
                s.features(), s.imputed(), explanation, payload, Instant.now());
    }
}
