package com.orderintel.anomaly;

import com.orderintel.llm.NoteFeatureEncoding;
import com.orderintel.models.TrainingStanding;
import com.orderintel.registry.ModelManifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Isolation Forest on scikit-learn's scale: {@code score_samples = -s(x)}, {@code decision = score_samples - offset}
 * where {@code offset} is the contamination quantile of the training scores, so that a negative decision
 * means anomalous, exactly as scikit-learn's {@code decision_function}.
 * <p>A model trained with note features ({@code extensions.note_features} in its manifest) has the encoded note
 * features after the three order metrics; a model without them scores the metrics vector exactly as before.
 */
public final class IsolationForestModel implements AnomalyDetector {

    public static final String FORMAT = "isolation-forest-flat/v1";
    public static final int FEATURES = 3;

    private final ModelManifest manifest;
    private final NoteFeatureEncoding notes;
    private final FlatIsolationForest forest;
    private final double offset;
    private final ForestScorer scorer;
    private final IsolationPathAttribution attribution;
    /** Per feature (model order), its training histogram for explanations; null entries: none in the manifest. */
    private final TrainingStanding.Profile[] profiles;
    /** The feature names in model order: the order metrics, then the note features (if any). */
    private final List<String> names;

    public IsolationForestModel(ModelManifest manifest, FlatIsolationForest forest, double offset) {
        this.notes = manifest == null ? null : NoteFeatureEncoding.fromManifest(manifest);
        int expected = FEATURES + (notes == null ? 0 : notes.width());
        if (forest.features() != expected) {
            throw new IllegalArgumentException("order anomaly model expects " + expected + " features"
                    + (notes == null ? "" : " (3 order metrics and " + notes.names() + ")") + ", forest has " + forest.features());
        }
        this.manifest = manifest;
        this.forest = forest;
        this.offset = offset;
        this.scorer = new ForestScorer(forest);
        this.attribution = new IsolationPathAttribution(forest, scorer.layout());
        List<String> all = new ArrayList<>(OrderMetrics.FEATURES);
        if (notes != null) {
            all.addAll(notes.names());
        }
        this.names = List.copyOf(all);
        this.profiles = new TrainingStanding.Profile[expected];
        for (int k = 0; k < expected; k++) {
            profiles[k] = manifest == null ? null : TrainingStanding.Profile.of(manifest.feature(names.get(k)));
        }
    }

    /**
     * Bytes of the flat form of {@code trees} trees of {@code nodes} nodes over {@code p} features (roots; per node
     * children, split value, leaf path and p slopes), its shape check's work arrays (9 per node) and the path
     * attribution's per-node arrays (28): everything but the complete-tree layout, known from the artifact's header.
     */
    static long flatBytes(long trees, long nodes, int p) {
        return 4 * trees + nodes * (4 + 4 + 8 + 8 + 8L * p + 9 + 28);
    }

    /**
     * What this model built from {@code forest} would take to serve, at its peak while being built: the flat form
     * ({@link #flatBytes}) and, when the forest fits the fast layout, its trees padded to complete trees
     * ({@link CompleteTreeForest#bytes}). Computed from the trees' shapes without building anything.
     */
    static long servingBytes(FlatIsolationForest forest) {
        int depth = CompleteTreeForest.layoutDepth(forest);
        return flatBytes(forest.roots().length, forest.left().length, forest.features())
                + (depth < 0 ? 0 : CompleteTreeForest.bytes(forest.roots().length, depth));
    }

    @Override
    public AnomalyResult score(OrderMetrics order) {
        return AnomalyResult.ofScore(decision(vector(order)));
    }

    /** Scores a batch through {@link #decisions(double[][])}: the same results as scoring each order alone. */
    @Override
    public List<AnomalyResult> scoreBatch(List<OrderMetrics> orders) {
        double[][] x = new double[orders.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = vector(orders.get(i));
        }
        double[] d = decisions(x);
        AnomalyResult[] out = new AnomalyResult[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = AnomalyResult.ofScore(d[i]);
        }
        return List.of(out);
    }

    /** The model's input vector: the order metrics, then (for a note model) the encoded note features. */
    public double[] vector(OrderMetrics order) {
        if (notes == null) {
            return order.toVector();
        }
        double[] x = new double[FEATURES + notes.width()];
        x[0] = order.avgProcessingMs();
        x[1] = order.itemCount();
        x[2] = order.paymentScore();
        notes.encode(order.note(), x, FEATURES);
        return x;
    }

    /** The note features this model was trained with, or null for the 3-metric model. */
    @Override
    public NoteFeatureEncoding noteFeatures() {
        return notes;
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
        double[] x = vector(order);
        double[] effect = new double[x.length];
        double meanPath = attribution.attribute(x, effect);
        double shortening = 0; // shares are of the shortening: the question an alert answers is what made it odd
        for (double e : effect) {
            shortening += Math.max(0, -e);
        }
        List<AnomalyExplanation.FeatureAttribution> features = new ArrayList<>(x.length);
        for (int k = 0; k < x.length; k++) {
            String name = names.get(k);
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
