package com.orderintel.advisor.forecast;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.web.Finite;
import com.orderintel.advisor.web.Identifier;
import com.orderintel.advisor.web.StorableDate;
import com.orderintel.advisor.web.ZeroOrOne;
import com.orderintel.forecast.DemandQuery;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import java.time.LocalDate;

/** One demand-forecast request, field names as order-service sends them. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ForecastRequest(
        @NotNull(message = "is required (ISO date, e.g. 2024-08-15)") @StorableDate LocalDate date,
        @Schema(description = "1 to 128 letters, digits and - _ . : / # @", maxLength = 128, example = "SKU-001")
        @NotBlank(message = "is required") @Identifier String productId,
        @NotNull(message = "is required") @Finite @PositiveOrZero Double avgBasketValue,
        @Schema(type = "integer", allowableValues = {"0", "1"})
        @NotNull(message = "is required") @ZeroOrOne Double promoFlag) {

    DemandQuery toQuery() {
        return new DemandQuery(date, productId, avgBasketValue, promoFlag.intValue());
    }
}
