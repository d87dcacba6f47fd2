package com.orderintel.advisor.feedback;

import java.time.LocalDate;

/**
 * Where true outcomes are kept and rolling accuracy comes from: the shared PostgreSQL store when the service has
 * one (any replica accepts feedback for any prediction, and every replica reports the same accuracy), else this
 * replica's memory.
 */
public interface FeedbackStore {

    /**
     * Records whether an order was really anomalous, for a prediction id or an order id.
     *
     * @throws com.orderintel.advisor.web.NotFoundException for a prediction id nobody knows
     * @throws com.orderintel.advisor.web.ConflictException  when this prediction or order already has its label
     */
    Recorded label(String predictionId, String orderId, boolean anomalous);

    /** Records the actual demand, for a prediction id or a product and day; same errors as {@link #label}. */
    Recorded actual(String predictionId, String productId, LocalDate date, double demand);

    /** The rolling accuracy of a model over the last window of feedback. */
    Accuracy accuracy(String model);

    /** What the feedback was matched to (model and version null when it names no known prediction). */
    record Recorded(String predictionId, String model, String version) { }

    /** Precision and recall of the anomaly flag, MAE of forecasts; NaN while undefined. */
    record Accuracy(double precision, double recall, long labels, double mae, long actuals) {
        public static final Accuracy NONE = new Accuracy(Double.NaN, Double.NaN, 0, Double.NaN, 0);
    }
}
