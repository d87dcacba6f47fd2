package com.orderintel.training.anomaly;

import com.orderintel.anomaly.FlatIsolationForest;
import com.orderintel.anomaly.ForestScorer;

import com.orderintel.dataset.DataException;
import com.orderintel.training.HyperParameters;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;
import smile.math.MathEx;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fits an isolation forest the way scikit-learn does (each tree on psi = min(256, n) rows drawn without
 * replacement, depth limit ceil(log2 psi), threshold at the contamination quantile of training scores), with
 * Smile's {@link IsolationTree} doing the tree building. Smile's own {@code fit} samples a fraction and
 * normalises with the full n, which compresses scores (see the notes), so trees are built on our own
 * subsamples and then exported to {@link FlatIsolationForest} for serving.
 */
public final class IsolationForestTrainer {

    public static final int MAX_SAMPLES = 256;

    public record Options(int trees, double contamination, long seed) {
        public Options {
            if (trees < 1 || trees > 10_000) {
                throw new DataException("--n-estimators must be between 1 and 10000, got " + trees);
            }
            if (!(contamination > 0 && contamination <= 0.5)) {
                throw new DataException("--contamination must be in (0, 0.5], got " + contamination);
            }
        }

        /** The options a manifest recorded (AnomalyTraining writes them), for {@code retrain}. */
        public static Options fromHyperParameters(Map<String, Object> hyper) {
            return new Options(HyperParameters.integer(hyper, "n_estimators"), HyperParameters.number(hyper, "contamination"),
                    (long) HyperParameters.number(hyper, "random_state"));
        }
    }

    /**
     * The fitted forest: Smile's object form (for equivalence checks), the flat serving form, the threshold, and
     * the decision function on the training rows (computed for the threshold; the model gives the same doubles).
     */
    public record Fitted(IsolationForest smile, FlatIsolationForest flat, double offset, double[] trainingDecisions) { }

    public Fitted fit(double[][] x, Options options) {
        int n = x.length;
        if (n < 2) {
            throw new DataException("isolation forest needs at least 2 rows, got " + n);
        }
        int p = x[0].length;
        int psi = Math.min(MAX_SAMPLES, n);
        int maxDepth = (int) Math.ceil(Math.log(Math.max(psi, 2)) / Math.log(2));
        MathEx.setSeed(options.seed()); // Smile draws split points from its own seeded RNG
        Random sampler = new Random(options.seed());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int[] swapped = new int[psi];
        IsolationTree[] trees = new IsolationTree[options.trees()];
        for (int t = 0; t < trees.length; t++) {
            List<double[]> sample = new ArrayList<>(psi);
            for (int i = 0; i < psi; i++) { // partial Fisher-Yates: psi rows without replacement
                int j = i + sampler.nextInt(n - i);
                swapped[i] = j;
                int tmp = idx[i];
                idx[i] = idx[j];
                idx[j] = tmp;
                sample.add(x[idx[i]]);
            }
            for (int i = psi - 1; i >= 0; i--) { // undo the swaps: idx is the identity again, in O(psi), not O(n)
                int j = swapped[i];
                int tmp = idx[i];
                idx[i] = idx[j];
                idx[j] = tmp;
            }
            trees[t] = newTree(sample, maxDepth);
        }
        IsolationForest smile = new IsolationForest(psi, p, 0, trees);
        FlatIsolationForest flat = SmileTreeExport.flatten(trees, p, psi);
        double[] scoreSamples = new ForestScorer(flat).anomalyScores(x); // identical to flat.anomalyScore row by row
        for (int i = 0; i < n; i++) {
            scoreSamples[i] = -scoreSamples[i];
        }
        double[] sorted = scoreSamples.clone();
        Arrays.sort(sorted);
        double offset = com.orderintel.training.FeatureProfiles.quantile(sorted, options.contamination());
        double[] decisions = scoreSamples; // the model's decision function on the training rows, for the metrics
        for (int i = 0; i < n; i++) {
            decisions[i] = scoreSamples[i] - offset;
        }
        return new Fitted(smile, flat, offset, decisions);
    }

    // IsolationTree's constructor is package-private in Smile 6.3; it is the only way to build a tree on a
    // subsample we choose, so it is called reflectively (class path, unnamed module: no module barrier).
    private static final Constructor<IsolationTree> TREE;

    static {
        try {
            TREE = IsolationTree.class.getDeclaredConstructor(List.class, int.class, int.class);
            TREE.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError("Smile's IsolationTree(List, int, int) constructor is missing: " + e);
        }
    }

    private static IsolationTree newTree(List<double[]> sample, int maxDepth) {
        try {
            return TREE.newInstance(sample, maxDepth, 0);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a Smile IsolationTree", e);
        }
    }

    /** Walks Smile's tree nodes (package-private fields) into flat arrays. */
    static final class SmileTreeExport {
        private static final Field ROOT;
        private static final Field DEPTH;
        private static final Field SLOPE;
        private static final Field BIAS;
        private static final Field LEFT;
        private static final Field RIGHT;

        static {
            try {
                ROOT = field(IsolationTree.class, "root");
                Class<?> node = Class.forName("smile.anomaly.IsolationTree$Node");
                DEPTH = field(node, "depth");
                SLOPE = field(node, "slope");
                BIAS = field(node, "bias");
                LEFT = field(node, "left");
                RIGHT = field(node, "right");
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError("Smile's IsolationTree layout changed: " + e);
            }
        }

        private static Field field(Class<?> c, String name) throws NoSuchFieldException {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        }

        static FlatIsolationForest flatten(IsolationTree[] trees, int p, int psi) {
            Nodes nodes = new Nodes(p);
            int[] roots = new int[trees.length];
            try {
                for (int t = 0; t < trees.length; t++) {
                    roots[t] = nodes.add(ROOT.get(trees[t]));
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            return nodes.toForest(roots, psi);
        }

        private static final class Nodes {
            final int p;
            int size;
            int[] left = new int[1024];
            int[] right = new int[1024];
            double[] bias = new double[1024];
            double[] leaf = new double[1024];
            double[] slope;

            Nodes(int p) {
                this.p = p;
                this.slope = new double[1024 * p];
            }

            int add(Object node) throws IllegalAccessException {
                int id = size++;
                if (id == left.length) {
                    int cap = left.length * 2;
                    left = Arrays.copyOf(left, cap);
                    right = Arrays.copyOf(right, cap);
                    bias = Arrays.copyOf(bias, cap);
                    leaf = Arrays.copyOf(leaf, cap);
                    slope = Arrays.copyOf(slope, cap * p);
                }
                Object l = LEFT.get(node);
                Object r = RIGHT.get(node);
                if (l == null || r == null) { // same leaf test as Smile's Node.path
                    left[id] = -1;
                    right[id] = -1;
                    leaf[id] = DEPTH.getDouble(node);
                    return id;
                }
                double[] s = (double[]) SLOPE.get(node);
                System.arraycopy(s, 0, slope, id * p, p);
                bias[id] = BIAS.getDouble(node);
                int li = add(l);
                int ri = add(r);
                left[id] = li;
                right[id] = ri;
                return id;
            }

            FlatIsolationForest toForest(int[] roots, int psi) {
                return new FlatIsolationForest(p, psi, roots, Arrays.copyOf(left, size), Arrays.copyOf(right, size),
                        Arrays.copyOf(slope, size * p), Arrays.copyOf(bias, size), Arrays.copyOf(leaf, size));
            }
        }
    }
}
