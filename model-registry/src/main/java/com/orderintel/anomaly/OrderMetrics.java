package com.orderintel.anomaly;

/** The anomaly model's inputs for one order. */
public record OrderMetrics(String orderId, double avgProcessingMs, double itemCount, double paymentScore) {

    /** Feature vector in model order: avg_processing_ms, item_count, payment_score. */
    public double[] toVector() {
        return new double[] {avgProcessingMs, itemCount, paymentScore};
    }
}
