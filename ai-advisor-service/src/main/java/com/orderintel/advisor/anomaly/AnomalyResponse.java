package com.orderintel.advisor.anomaly;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.model.ModelRef;
import com.orderintel.anomaly.AnomalyExplanation;

/**
 * {@code anomaly_score} is the decision-function value (negative = anomalous), {@code approx_probability}
 * = 1 / (1 + exp(score)), as the Python experiments returned them. {@code explanation} only with {@code explain=true}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnomalyResponse(String orderId, boolean isAnomaly, double anomalyScore, double approxProbability,
                              ModelRef model, String predictionId, AnomalyExplanation explanation) { }
