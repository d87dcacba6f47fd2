package com.orderintel.anomaly;

/**
 * Score of one order, on scikit-learn's scale: {@code score} is the decision-function value (negative = more
 * anomalous than the contamination threshold), {@code anomalous == score < 0}, and
 * {@code approxProbability = 1 / (1 + exp(score))}.
 */
public record AnomalyResult(boolean anomalous, double score, double approxProbability) {

    public static AnomalyResult ofScore(double score) {
        return new AnomalyResult(score < 0, score, 1.0 / (1.0 + Math.exp(score)));
    }
}
