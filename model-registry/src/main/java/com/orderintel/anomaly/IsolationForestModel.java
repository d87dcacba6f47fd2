package com.orderintel.anomaly;

import com.orderintel.registry.ModelManifest;

/**
 * Isolation Forest on scikit-learn's scale: {@code score_samples = -s(x)}, {@code decision = score_samples - offset}
 * where {@code offset} is the contamination quantile of the training scores, so that a negative decision
 * means anomalous, exactly as the original's {@code decision_function}.
 */
public final class IsolationForestModel implements AnomalyDetector {

    public static final String FORMAT = "isolation-forest-flat/v1";
    public static final int FEATURES = 3;

    private final ModelManifest manifest;
    private final FlatIsolationForest forest;
    private final double offset;

    public IsolationForestModel(ModelManifest manifest, FlatIsolationForest forest, double offset) {
        if (forest.features() != FEATURES) {
            throw new IllegalArgumentException("order anomaly model expects " + FEATURES + " features, forest has " + forest.features());
        }
        this.manifest = manifest;
        this.forest = forest;
        this.offset = offset;
    }

    @Override
    public AnomalyResult score(OrderMetrics order) {
        return AnomalyResult.ofScore(decision(order.toVector()));
    }

    /** scikit-learn's decision_function for one feature vector. */
    public double decision(double[] x) {
        return -forest.anomalyScore(x) - offset;
    }

    public double offset() {
        return offset;
    }

    public FlatIsolationForest forest() {
        return forest;
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }
}
