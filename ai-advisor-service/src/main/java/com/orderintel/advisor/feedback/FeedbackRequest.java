package com.orderintel.advisor.feedback;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.web.Finite;
import com.orderintel.advisor.web.ZeroOrOne;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/** The true outcome of an earlier prediction: {@code actual_demand} for a forecast, {@code actual_label} (1 = anomalous) for a score. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FeedbackRequest(
        @NotBlank(message = "is required") String predictionId,
        @Finite @PositiveOrZero Double actualDemand,
        @Schema(type = "integer", allowableValues = {"0", "1"}) @ZeroOrOne Double actualLabel) { }
