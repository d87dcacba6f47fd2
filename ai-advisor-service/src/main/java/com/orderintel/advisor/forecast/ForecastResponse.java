package com.orderintel.advisor.forecast;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.model.ModelRef;

import java.time.LocalDate;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ForecastResponse(String productId, LocalDate date, double predictedDemand, ModelRef model,
                               String predictionId) { }
