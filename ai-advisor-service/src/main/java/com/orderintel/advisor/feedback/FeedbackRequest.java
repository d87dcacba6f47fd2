package com.orderintel.advisor.feedback;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.web.Finite;
import com.orderintel.advisor.web.Identifier;
import com.orderintel.advisor.web.StorableDate;
import com.orderintel.advisor.web.ZeroOrOne;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.PositiveOrZero;

import java.time.LocalDate;

/**
 * The true outcome of an earlier prediction: {@code actual_label} (1 = anomalous) for an order, by
 * {@code prediction_id} or {@code order_id}; {@code actual_demand} for a forecast, by {@code prediction_id} or
 * {@code product_id} and {@code date}. Feedback by order or product needs the shared store. Prediction, order and
 * product ids follow the identifier rule of every entry point ({@link Identifier}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FeedbackRequest(
        @Identifier String predictionId,
        @Identifier String orderId,
        @Identifier String productId,
        @StorableDate LocalDate date,
        @Finite @PositiveOrZero Double actualDemand,
        @Schema(type = "integer", allowableValues = {"0", "1"}) @ZeroOrOne Double actualLabel) { }
