package com.orderintel.anomaly;

/**
 * Per-feature attribution of an isolation forest's mean path length: tree-path contributions (Saabas, 2014,
 * "Interpreting random forests") applied to the path length each isolation tree gives a record, the quantity
 * the anomaly score is a function of (s = 2^(-E[h(x)] / c(psi))).
 *
 * <p>For every node n of a tree, {@code expected[n]} is the mean path length of the training sub-sample rows
 * that reached n (a leaf: its own path length, depth + c(size); a split: its children's weighted by how many
 * rows went each way). Walking x from the root, each split moves the expectation from {@code expected[n]} to
 * {@code expected[child]}; that change is credited to the split's feature. Along one path the changes add up to
 * {@code h_t(x) - expected[root_t]}, so over the forest
 * <pre>  sum_f effect_f(x) = E[h(x)] - base,   base = mean_t expected[root_t]  (about c(psi))</pre>
 * exactly. A negative effect means the feature shortened the path (made the order easier to isolate, more
 * anomalous). A split that sends x where the training rows go moves the expectation little; a split that
 * isolates x from them moves it down by several levels, so an order odd in one feature only has nearly all
 * of its (negative) effect on that feature. It is DIFFI's idea (Carletti, Terzi, Susto 2020: credit a split's
 * feature by how early it isolates the point) in an additive form; SHAP's TreeExplainer (Lundberg et al. 2020)
 * explains the same path length with Shapley values at O(depth^2) more cost per tree.
 *
 * <p>The artifact does not store node sizes, but each leaf's path length is depth + c(size) (c(size) only when
 * size > 1), and c is increasing, so the size is recovered exactly for size >= 2; a leaf with no adjustment held
 * one row or none (a split on a feature constant in the node leaves one side empty) and is counted as one.
 * Splits over several features (extension level > 0; our trainer exports none) credit each feature equally.
 * Rows are routed exactly as {@link FlatIsolationForest#meanPath(double[])} routes them. A finite row of a forest
 * with the complete-tree layout walks that layout (the slots its scoring just touched, each step an integer
 * compare) and receives the same differences in the same order.
 */
public final class IsolationPathAttribution {

    private final FlatIsolationForest forest;
    /** Per node: its split feature; -1 for a leaf, -2 for a split over several features. */
    private final int[] splitFeature;
    /** Per single-feature split: that feature's slope (x[f] * scale < bias goes left). */
    private final double[] scale;
    private final double[] expected;
    private final double base;
    /** The scorer's complete-tree layout, or null, and {@code expected} per slot of it. */
    private final CompleteTreeForest layout;
    private final double[] slotExpected;

    public IsolationPathAttribution(FlatIsolationForest forest) {
        this(forest, null);
    }

    /** @param layout the scorer's layout of this very forest ({@link ForestScorer}), or null */
    IsolationPathAttribution(FlatIsolationForest forest, CompleteTreeForest layout) {
        this.forest = forest;
        int nodes = forest.left().length;
        int p = forest.features();
        this.splitFeature = new int[nodes];
        this.scale = new double[nodes];
        this.expected = new double[nodes];
        double[] size = new double[nodes];
        for (int i = 0; i < nodes; i++) {
            if (forest.left()[i] < 0) {
                splitFeature[i] = -1;
                continue;
            }
            int feature = -1;
            for (int k = 0; k < p; k++) {
                if (forest.slope()[i * p + k] != 0) {
                    feature = feature == -1 ? k : -2;
                }
            }
            splitFeature[i] = feature == -1 ? -2 : feature; // an all-zero slope: no feature to credit, shared
            scale[i] = feature >= 0 ? forest.slope()[i * p + feature] : 0;
        }
        double sum = 0;
        for (int root : forest.roots()) {
            fill(root, 0, size);
            sum += expected[root];
        }
        this.base = sum / forest.roots().length;
        this.layout = layout;
        this.slotExpected = layout == null ? null : layout.bySlot(expected);
    }

    /** Sets {@code expected} and {@code size} of the subtree at {@code node} (depth-bounded by the forest's check). */
    private void fill(int node, int depth, double[] size) {
        int l = forest.left()[node];
        int r = forest.right()[node];
        if (l < 0) {
            expected[node] = forest.leafPath()[node];
            size[node] = leafSize(forest.leafPath()[node] - depth, forest.subsample());
            return;
        }
        fill(l, depth + 1, size);
        fill(r, depth + 1, size);
        size[node] = size[l] + size[r];
        expected[node] = (size[l] * expected[l] + size[r] * expected[r]) / size[node];
    }

    /** The n in 2..psi whose c(n) is nearest to {@code adjustment}; 1 when there is no adjustment. */
    static double leafSize(double adjustment, int psi) {
        if (adjustment < 0.5) { // c(2) = 1 is the smallest adjustment
            return 1;
        }
        int lo = 2;
        int hi = Math.max(2, psi);
        while (lo < hi) { // first n with c(n) >= adjustment
            int mid = (lo + hi) >>> 1;
            if (FlatIsolationForest.averagePathLength(mid) < adjustment) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo > 2 && adjustment - FlatIsolationForest.averagePathLength(lo - 1)
                < FlatIsolationForest.averagePathLength(lo) - adjustment) {
            return lo - 1;
        }
        return lo;
    }

    /** The forest's expected path length of a training row: the baseline the effects are measured from. */
    public double base() {
        return base;
    }

    /**
     * Writes each feature's effect on the mean path length of x into {@code effect} (length p) and returns the
     * mean path length E[h(x)]; {@code sum(effect) == meanPath - base()} up to rounding.
     */
    public double attribute(double[] x, double[] effect) {
        final int p = forest.features();
        boolean finite = true;
        for (int k = 0; k < p; k++) {
            finite &= Double.isFinite(x[k]);
        }
        java.util.Arrays.fill(effect, 0, p, 0);
        int trees = forest.roots().length;
        double path = layout != null && finite ? layout.attribute(x, slotExpected, effect) : generalPaths(x, effect, finite);
        for (int k = 0; k < p; k++) {
            effect[k] /= trees;
        }
        return path / trees;
    }

    /** The walk over the flat form: any forest, any input. Returns the sum of path lengths in tree order. */
    private double generalPaths(double[] x, double[] effect, boolean finite) {
        final int[] left = forest.left();
        final int[] right = forest.right();
        final double[] bias = forest.bias();
        double path = 0;
        for (int root : forest.roots()) {
            int node = root;
            while (left[node] >= 0) {
                int f = splitFeature[node];
                // for finite x the general form's dot (x[f] * s plus zero terms) is exactly x[f] * s
                boolean goLeft = f >= 0 && finite ? x[f] * scale[node] < bias[node] : dot(x, node) < bias[node];
                int child = goLeft ? left[node] : right[node];
                double delta = expected[child] - expected[node];
                if (f >= 0) {
                    effect[f] += delta;
                } else {
                    credit(node, delta, effect);
                }
                node = child;
            }
            path += forest.leafPath()[node];
        }
        return path;
    }

    /** The general form's dot product, in its order (so that non-finite inputs route as scoring routes them). */
    private double dot(double[] x, int node) {
        int p = forest.features();
        double dot = 0;
        for (int k = 0; k < p; k++) {
            dot += x[k] * forest.slope()[node * p + k];
        }
        return dot;
    }

    /** A split over several features (or none): its change shared equally by the features it uses (or all). */
    private void credit(int node, double delta, double[] effect) {
        int p = forest.features();
        int used = 0;
        for (int k = 0; k < p; k++) {
            used += forest.slope()[node * p + k] != 0 ? 1 : 0;
        }
        for (int k = 0; k < p; k++) {
            if (used == 0 || forest.slope()[node * p + k] != 0) {
                effect[k] += delta / (used == 0 ? p : used);
            }
        }
    }
}
