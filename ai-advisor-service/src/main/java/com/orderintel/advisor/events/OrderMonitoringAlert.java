package com.orderintel.advisor.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code order.monitoring} alert (schema: docs/schemas/order-monitoring-alert.schema.json). Field names are
 * snake_case like the REST API.
 */
public record OrderMonitoringAlert(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("alert_id") String alertId,
        @JsonProperty("order_id") String orderId,
        @JsonProperty("is_anomaly") boolean isAnomaly,
        @JsonProperty("anomaly_score") double anomalyScore,
        @JsonProperty("approx_probability") double approxProbability,
        @JsonProperty("model") ModelInfo model,
        @JsonProperty("features") Map<String, Double> features,
        @JsonProperty("imputed_features") List<String> imputedFeatures,
        @JsonProperty("original_payload") JsonNode originalPayload,
        @JsonProperty("timestamp") Instant timestamp) {

    public record ModelInfo(String name, String version) { }
}
