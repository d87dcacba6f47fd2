package com.orderintel.advisor.feedback;

import com.orderintel.advisor.web.ConflictException;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.advisor.web.NotFoundException;

import java.time.LocalDate;

/**
 * Feedback without a database: matched against this replica's {@link PredictionLog} by prediction id, accuracy
 * from this replica's {@link AccuracyTracker}. With several replicas, configure the shared store instead.
 */
final class LocalFeedbackStore implements FeedbackStore {

    private final PredictionLog predictions;
    private final AccuracyTracker accuracy;

    LocalFeedbackStore(PredictionLog predictions, AccuracyTracker accuracy) {
        this.predictions = predictions;
        this.accuracy = accuracy;
    }

    @Override
    public Recorded label(String predictionId, String orderId, boolean anomalous) {
        PredictionLog.Prediction p = claim(predictionId, PredictionLog.Kind.ANOMALY, "order_id");
        accuracy.anomaly(p.model(), p.anomalous(), anomalous);
        return new Recorded(predictionId, p.model(), p.version());
    }

    @Override
    public Recorded actual(String predictionId, String productId, LocalDate date, double demand) {
        PredictionLog.Prediction p = claim(predictionId, PredictionLog.Kind.DEMAND, "product_id");
        accuracy.demand(p.model(), p.value(), demand);
        return new Recorded(predictionId, p.model(), p.version());
    }

    @Override
    public Accuracy accuracy(String model) {
        return accuracy.current(model);
    }

    private PredictionLog.Prediction claim(String predictionId, PredictionLog.Kind kind, String otherKey) {
        if (predictionId == null) {
            throw new InvalidInputException("prediction_id", "is required without the shared store (feedback by "
                    + otherKey + " needs spring.datasource.url)");
        }
        PredictionLog.Prediction p = predictions.find(predictionId);
        if (p == null) {
            throw new NotFoundException("prediction_id '" + predictionId + "' is unknown to this instance "
                    + "or older than the last advisor.feedback.capacity predictions");
        }
        if (p.kind() != kind) {
            throw new InvalidInputException(kind == PredictionLog.Kind.ANOMALY ? "actual_demand" : "actual_label",
                    "prediction " + predictionId + " is a " + p.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + " prediction; send " + (p.kind() == PredictionLog.Kind.DEMAND ? "actual_demand" : "actual_label"));
        }
        if (!p.trusted()) {
            throw new UntrustedPredictionException("prediction_id '" + predictionId + "' was made for an anonymous caller; "
                    + "only scorings by a trusted source (order events, batch runs or an authenticated caller) take feedback");
        }
        if (!predictions.claimFeedback(p)) {
            throw new ConflictException("feedback for this prediction_id was already received; it counts once");
        }
        return p;
    }
}
