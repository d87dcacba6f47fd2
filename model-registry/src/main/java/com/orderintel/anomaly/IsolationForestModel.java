package com.orderintel.anomaly;

import com.orderintel.registry.ModelManifest;

import java.util.List;

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
    private final ForestScorer scorer;

    public IsolationForestModel(ModelManifest manifest, FlatIsolationForest forest, double offset) {
        if (forest.features() != FEATURES) {
            throw new IllegalArgumentException("order anomaly model expects " + FEATURES + " features, forest has " + forest.features());
        }
        this.manifest = manifest;
        this.forest = forest;
        this.offset = offset;
        this.scorer = new ForestScorer(forest);
    }

    @Override
    public AnomalyResult score(OrderMetrics order) {
        return AnomalyResult.ofScore(decision(order.toVector()));
    }

    /** Scores a batch through {@link #decisions(double[][])}: the same results as scoring each order alone. */
    @Override
    public List<AnomalyResult> scoreBatch(List<OrderMetrics> orders) {
        double[][] x = new double[orders.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = orders.get(i).toVector();
        }
        double[] d = decisions(x);
        AnomalyResult[] out = new AnomalyResult[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = AnomalyResult.ofScore(d[i]);
        }
        return List.of(out);
    }

    /** scikit-learn's decision_function for one feature vector. */
    public double decision(double[] x) {
        return -scorer.anomalyScore(x) - offset;
    }

    /**
     * decision_function of every row ({@code x[i]} in {@link OrderMetrics#FEATURES} order), tree-major over
     * blocks of rows; each value is identical to {@link #decision(double[])} of that row. Large batches use the
     * common fork-join pool.
     */
    public double[] decisions(double[][] x) {
        double[] d = scorer.anomalyScores(x);
        for (int i = 0; i < d.length; i++) {
            d[i] = -d[i] - offset;
        }
        return d;
    }

    /** As {@link #decisions(double[][])} for rows {@code from..to-1} into {@code out}, on the calling thread. */
    public void decisions(double[][] x, int from, int to, double[] out) {
        scorer.anomalyScores(x, from, to, out);
        for (int i = from; i < to; i++) {
            out[i] = -out[i] - offset;
        }
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
