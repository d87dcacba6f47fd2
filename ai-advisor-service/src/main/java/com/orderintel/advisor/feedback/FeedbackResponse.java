package com.orderintel.advisor.feedback;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The rolling accuracy after this feedback: MAE for demand, precision for anomaly (null while undefined). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackResponse(String predictionId, String model, String modelVersion, Double rollingMae,
                               Double rollingPrecision) { }
