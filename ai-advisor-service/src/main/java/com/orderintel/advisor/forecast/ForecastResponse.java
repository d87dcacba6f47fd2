package com.orderintel.advisor.forecast;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.model.ModelRef;
import com.orderintel.forecast.ForecastExplanation;

import java.time.LocalDate;

/** {@code explanation} (base + per-feature contributions = the forecast) only with {@code explain=true}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ForecastResponse(String productId, LocalDate date, double predictedDemand, ModelRef model,
                               String predictionId, ForecastExplanation explanation) { }
