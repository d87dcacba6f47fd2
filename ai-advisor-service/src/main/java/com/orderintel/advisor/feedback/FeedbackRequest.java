package com.orderintel.advisor.feedback;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.web.Finite;
import com.orderintel.advisor.web.ZeroOrOne;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;

/**
 * The true outcome of an earlier prediction: {@code actual_label} (1 = anomalous) for an order, by
 * {@code prediction_id} or {@code order_id}; {@code actual_demand} for a forecast, by {@code prediction_id} or
 * {@code product_id} and {@code date}. Feedback by order or product needs the shared store.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FeedbackRequest(
        @Size(max = 128, message = "must be at most 128 characters") String predictionId,
        @Size(max = 256, message = "must be at most 256 characters") String orderId,
        @Size(max = 256, message = "must be at most 256 characters") String productId,
        LocalDate date,
        @Finite @PositiveOrZero Double actualDemand,
        @Schema(type = "integer", allowableValues = {"0", "1"}) @ZeroOrOne Double actualLabel) { }
