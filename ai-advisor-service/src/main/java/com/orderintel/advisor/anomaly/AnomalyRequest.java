package com.orderintel.advisor.anomaly;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.annotation.JsonAlias;
import com.orderintel.advisor.llm.EnrichmentService;
import com.orderintel.advisor.web.Finite;
import com.orderintel.advisor.web.Identifier;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.llm.NoteFeatureEncoding;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * One order to score; {@code order_id} is optional (an identifier: {@link Identifier}) and only echoed back. {@code note} (alias {@code review}) is the
 * customer's optional text: it changes the score only of a model trained with note features, and it is enriched
 * (sentiment, category) in the capture path and stored as a feature for models trained from captured data.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AnomalyRequest(
        @Schema(description = "optional; 1 to 128 letters, digits and - _ . : / # @", maxLength = 128, example = "o-1001")
        @Identifier String orderId,
        @NotNull(message = "is required") @Finite @PositiveOrZero Double avgProcessingMs,
        @NotNull(message = "is required") @Finite @PositiveOrZero Double itemCount,
        @NotNull(message = "is required") @Finite
        @DecimalMin(value = "0", message = "must be between 0 and 1")
        @DecimalMax(value = "1", message = "must be between 0 and 1") Double paymentScore,
        @JsonAlias("review") @Size(max = EnrichmentService.MAX_TEXT_CHARS, message = "must be at most 8000 characters")
        String note) {

    /** An order without a note (the Open Inference Protocol's tensors carry none). */
    public AnomalyRequest(String orderId, Double avgProcessingMs, Double itemCount, Double paymentScore) {
        this(orderId, avgProcessingMs, itemCount, paymentScore, null);
    }

    /** The model's inputs without note features. */
    public OrderMetrics toMetrics() {
        return toMetrics(false);
    }

    /**
     * The model's inputs; with {@code noteFeatures} (a served model reads them) a note is turned into its features
     * here, synchronously, with the offline rules: the same code a model with note features was trained with.
     */
    public OrderMetrics toMetrics(boolean noteFeatures) {
        return new OrderMetrics(orderId, avgProcessingMs, itemCount, paymentScore, noteFeatures ? NoteFeatureEncoding.offline(note) : null);
    }
}
