package com.orderintel.anomaly;

import com.orderintel.dataset.OrderRow;
import com.orderintel.llm.NoteFeatures;

/**
 * The anomaly model's inputs for one order: three metrics and, for a model trained with note features, the features
 * of the order's note ({@code null}: no note, or not computed because no served model uses them).
 */
public record OrderMetrics(String orderId, double avgProcessingMs, double itemCount, double paymentScore, NoteFeatures note) {

    /** An order without note features (what every 3-feature model scores). */
    public OrderMetrics(String orderId, double avgProcessingMs, double itemCount, double paymentScore) {
        this(orderId, avgProcessingMs, itemCount, paymentScore, null);
    }

    /** A row of an orders data set, without note features. */
    public static OrderMetrics of(OrderRow row) {
        return new OrderMetrics(row.orderId(), row.avgProcessingMs(), row.itemCount(), row.paymentScore());
    }

    /** The anomaly model's feature names in model order: the one place they are spelled out. */
    public static final java.util.List<String> FEATURES = java.util.List.of("avg_processing_ms", "item_count", "payment_score");

    /** Feature {@code i} of {@link #FEATURES}. */
    public double feature(int i) {
        return switch (i) {
            case 0 -> avgProcessingMs;
            case 1 -> itemCount;
            case 2 -> paymentScore;
            default -> throw new IndexOutOfBoundsException("order metrics have " + FEATURES.size() + " features, not " + (i + 1));
        };
    }

    /** Feature vector in {@link #FEATURES} order. */
    public double[] toVector() {
        return new double[] {avgProcessingMs, itemCount, paymentScore};
    }
}
