package com.orderintel.advisor.feedback;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What the feedback was matched to and the model's rolling accuracy after it: MAE for demand, precision and recall
 * for anomaly (null while undefined or when the feedback names no known prediction).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackResponse(String predictionId, String model, String modelVersion, Double rollingMae,
                               Double rollingPrecision, Double rollingRecall) { }
