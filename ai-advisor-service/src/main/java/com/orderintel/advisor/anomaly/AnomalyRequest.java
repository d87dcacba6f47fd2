package com.orderintel.advisor.anomaly;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.web.Finite;
import com.orderintel.anomaly.OrderMetrics;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/** One order to score; {@code order_id} is optional and only echoed back. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AnomalyRequest(
        String orderId,
        @NotNull(message = "is required") @Finite @PositiveOrZero Double avgProcessingMs,
        @NotNull(message = "is required") @Finite @PositiveOrZero Double itemCount,
        @NotNull(message = "is required") @Finite
        @DecimalMin(value = "0", message = "must be between 0 and 1")
        @DecimalMax(value = "1", message = "must be between 0 and 1") Double paymentScore) {

    public OrderMetrics toMetrics() {
        return new OrderMetrics(orderId, avgProcessingMs, itemCount, paymentScore);
    }
}
