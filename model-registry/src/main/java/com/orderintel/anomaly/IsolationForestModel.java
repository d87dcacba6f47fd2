package com.orderintel.anomaly;

import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.TrainingStanding;

import java.util.ArrayList;
import java.util.Comparator;
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
    private final IsolationPathAttribution attribution;
    /** Per feature (model order), its training histogram for explanations; null entries: none in the manifest. */
    private final TrainingStanding.Profile[] profiles = new TrainingStanding.Profile[FEATURES];

    public IsolationForestModel(ModelManifest manifest, FlatIsolationForest forest, double offset) {
        if (forest.features() != FEATURES) {
            throw new IllegalArgumentException("order anomaly model expects " + FEATURES + " features, forest has " + forest.features());
        }
        this.manifest = manifest;
        this.forest = forest;
        this.offset = offset;
        this.scorer = new ForestScorer(forest);
        this.attribution = new IsolationPathAttribution(forest);
        for (int k = 0; k < FEATURES; k++) {
            profiles[k] = manifest == null ? null : TrainingStanding.Profile.of(manifest.feature(OrderMetrics.FEATURES.get(k)));
        }
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

    /** Features whose path effect is at least this share of all effects are named in the summary. */
    private static final double SUMMARY_SHARE = 0.2;

    /**
     * Each feature's effect on this order's isolation paths ({@link IsolationPathAttribution}) and its value's
     * standing among the training orders (the manifest's histograms), most path-shortening feature first.
     */
    @Override
    public AnomalyExplanation explain(OrderMetrics order) {
        double[] x = order.toVector();
        double[] effect = new double[FEATURES];
        double meanPath = attribution.attribute(x, effect);
        double shortening = 0; // shares are of the shortening: the question an alert answers is what made it odd
        for (double e : effect) {
            shortening += Math.max(0, -e);
        }
        List<AnomalyExplanation.FeatureAttribution> features = new ArrayList<>(FEATURES);
        for (int k = 0; k < FEATURES; k++) {
            String name = OrderMetrics.FEATURES.get(k);
            TrainingStanding standing = profiles[k] == null ? null : profiles[k].standing(x[k]);
            String text = standing == null ? name + " " + TrainingStanding.number(x[k])
                    : standing.describe(name, x[k], "training orders");
            features.add(new AnomalyExplanation.FeatureAttribution(name, x[k], effect[k],
                    shortening > 0 ? Math.max(0, -effect[k]) / shortening : 0, standing == null ? null : standing.percentile(), text));
        }
        features.sort(Comparator.comparingDouble(AnomalyExplanation.FeatureAttribution::pathEffect));
        return new AnomalyExplanation(summary(features, meanPath), meanPath, attribution.base(), features);
    }

    private String summary(List<AnomalyExplanation.FeatureAttribution> sorted, double meanPath) {
        List<String> parts = new ArrayList<>();
        for (AnomalyExplanation.FeatureAttribution f : sorted) {
            if (f.pathEffect() < 0 && (parts.isEmpty() || f.share() >= SUMMARY_SHARE)) {
                parts.add(f.text() + " (" + Math.round(100 * f.share()) + " % of the path shortening)");
            }
        }
        if (parts.isEmpty()) {
            return "no feature shortened the isolation paths (mean path " + TrainingStanding.number(meanPath)
                    + ", a training order's " + TrainingStanding.number(attribution.base()) + ")";
        }
        return String.join("; ", parts);
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
