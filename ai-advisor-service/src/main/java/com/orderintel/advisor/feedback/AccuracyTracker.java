package com.orderintel.advisor.feedback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import com.orderintel.advisor.metrics.MetricsProperties;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Rolling accuracy from feedback (true outcomes sent after the fact): {@code advisor_feedback_mae{model}} over
 * the last N demand feedbacks, {@code advisor_feedback_precision{model}} and {@code advisor_feedback_recall{model}}
 * over the last N anomaly feedbacks, and {@code advisor_feedback_total{model}}. Feedback is rare compared with
 * predictions, so a synchronized ring per model is simple and cheap enough.
 */
@Component
public class AccuracyTracker {

    private final MeterRegistry registry;
    private final int window;
    private final ConcurrentHashMap<String, Regression> regression = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Classification> classification = new ConcurrentHashMap<>();

    public AccuracyTracker(MeterRegistry registry, MetricsProperties properties) {
        this.registry = registry;
        this.window = properties.feedbackWindow();
    }

    /** Records |predicted - actual| and returns the rolling MAE after it. */
    public double demand(String model, double predicted, double actual) {
        return regression.computeIfAbsent(model, this::newRegression).add(Math.abs(predicted - actual));
    }

    /** Records one labelled anomaly outcome and returns the rolling precision after it (NaN if undefined). */
    public double anomaly(String model, boolean predicted, boolean actual) {
        return classification.computeIfAbsent(model, this::newClassification).add(predicted, actual);
    }

    private Regression newRegression(String model) {
        Regression r = new Regression(window, Counter.builder("advisor.feedback").tag("model", model)
                .description("Feedback records received").register(registry));
        Gauge.builder("advisor.feedback.mae", r, Regression::mae).tag("model", model)
                .description("Mean absolute error over the last feedback window").register(registry);
        return r;
    }

    private Classification newClassification(String model) {
        Classification c = new Classification(window, Counter.builder("advisor.feedback").tag("model", model)
                .description("Feedback records received").register(registry));
        Gauge.builder("advisor.feedback.precision", c, Classification::precision).tag("model", model)
                .description("Precision of the anomaly flag over the last feedback window").register(registry);
        Gauge.builder("advisor.feedback.recall", c, Classification::recall).tag("model", model)
                .description("Recall of the anomaly flag over the last feedback window").register(registry);
        return c;
    }

    private static final class Regression {
        private final double[] errors;
        private final Counter counter;
        private long n;
        private double sum;

        Regression(int size, Counter counter) {
            this.errors = new double[size];
            this.counter = counter;
        }

        synchronized double add(double error) {
            int i = (int) (n % errors.length);
            if (n >= errors.length) {
                sum -= errors[i];
            }
            errors[i] = error;
            sum += error;
            n++;
            counter.increment();
            return mae();
        }

        synchronized double mae() {
            long filled = Math.min(n, errors.length);
            return filled == 0 ? Double.NaN : sum / filled;
        }
    }

    private static final class Classification {
        private final byte[] outcomes; // bit 1 = predicted, bit 0 = actual
        private final Counter counter;
        private long n;

        Classification(int size, Counter counter) {
            this.outcomes = new byte[size];
            this.counter = counter;
        }

        synchronized double add(boolean predicted, boolean actual) {
            outcomes[(int) (n % outcomes.length)] = (byte) ((predicted ? 2 : 0) | (actual ? 1 : 0));
            n++;
            counter.increment();
            return precision();
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
