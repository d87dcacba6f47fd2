package com.orderintel.advisor.feedback;

import com.orderintel.advisor.metrics.MetricsProperties;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Rolling accuracy of this replica's feedback (used without the shared store): MAE over the last N demand feedbacks,
 * precision and recall over the last N anomaly feedbacks. Feedback is rare compared with predictions, so a
 * synchronized ring per model is simple and cheap enough.
 */
@Component
public class AccuracyTracker {

    private final int window;
    private final ConcurrentHashMap<String, Regression> regression = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Classification> classification = new ConcurrentHashMap<>();

    public AccuracyTracker(MetricsProperties properties) {
        this.window = properties.feedbackWindow();
    }

    /** Records |predicted - actual|. */
    public void demand(String model, double predicted, double actual) {
        regression.computeIfAbsent(model, m -> new Regression(window)).add(Math.abs(predicted - actual));
    }

    /** Records one labelled anomaly outcome. */
    public void anomaly(String model, boolean predicted, boolean actual) {
        classification.computeIfAbsent(model, m -> new Classification(window)).add(predicted, actual);
    }

    public FeedbackStore.Accuracy current(String model) {
        Classification c = classification.get(model);
        Regression r = regression.get(model);
        return new FeedbackStore.Accuracy(c == null ? Double.NaN : c.precision(), c == null ? Double.NaN : c.recall(),
                c == null ? 0 : c.filled(), r == null ? Double.NaN : r.mae(), r == null ? 0 : r.filled());
    }

    private static final class Regression {
        private final double[] errors;
        private long n;
        private double sum;

        Regression(int size) {
            this.errors = new double[size];
        }

        synchronized long filled() {
            return Math.min(n, errors.length);
        }

        synchronized void add(double error) {
            int i = (int) (n % errors.length);
            if (n >= errors.length) {
                sum -= errors[i];
            }
            errors[i] = error;
            sum += error;
            n++;
        }

        synchronized double mae() {
            long filled = Math.min(n, errors.length);
            return filled == 0 ? Double.NaN : sum / filled;
        }
    }

    private static final class Classification {
        private final byte[] outcomes; // bit 1 = predicted, bit 0 = actual
        private long n;

        Classification(int size) {
            this.outcomes = new byte[size];
        }

        synchronized long filled() {
            return Math.min(n, outcomes.length);
        }

        synchronized void add(boolean predicted, boolean actual) {
            outcomes[(int) (n % outcomes.length)] = (byte) ((predicted ? 2 : 0) | (actual ? 1 : 0));
            n++;
        }

        synchronized double precision() {
            return ratio(true);
        }

        synchronized double recall() {
            return ratio(false);
        }

        /** TP / (TP + FP) for precision, TP / (TP + FN) for recall, over the filled part of the ring. */
        private double ratio(boolean precision) {
            long tp = 0;
            long other = 0;
            int filled = (int) Math.min(n, outcomes.length);
            for (int i = 0; i < filled; i++) {
                boolean p = (outcomes[i] & 2) != 0;
                boolean a = (outcomes[i] & 1) != 0;
                if (p && a) {
                    tp++;
                } else if (precision ? p : a) {
                    other++;
                }
            }
            return tp + other == 0 ? Double.NaN : (double) tp / (tp + other);
        }
    }
}
