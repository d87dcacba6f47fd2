package com.orderintel.forecast;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A forecast split into a base value and one contribution per model feature, in the model's feature order:
 * {@code base + sum(contribution) == prediction} (up to floating-point rounding). {@code method} names how the
 * split was made ({@code linear} or {@code tree-path}, see the models' {@code explain}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ForecastExplanation(String method, double base, double prediction, List<Contribution> contributions) {

    public ForecastExplanation {
        contributions = List.copyOf(contributions);
    }

    public double sum() {
        double s = base;
        for (Contribution c : contributions) {
            s += c.contribution();
        }
        return s;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Contribution(String feature, double value, double contribution) { }
}
