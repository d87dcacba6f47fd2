package com.orderintel.anomaly;

import com.orderintel.models.FlatTrees;

/**
 * The fitted trees of an isolation forest in flat primitive arrays, for scoring without object-graph walks
 * (Smile's node objects cost ~60 µs a record; this form is a few µs). Nodes of all trees share the arrays;
 * {@code roots[t]} is the first node of tree t. An internal node sends x left when
 * {@code dot(x, slope[node]) < bias[node]} (Smile's extended-isolation-forest split, which for extension level 0
 * has one non-zero slope); a leaf ({@code left[node] < 0}) holds its path length, already adjusted by c(size).
 *
 * @param features  number of input features (p)
 * @param subsample rows each tree was built from (psi), which sets the normaliser c(psi)
 */
public record FlatIsolationForest(int features, int subsample, int[] roots, int[] left, int[] right,
                                  double[] slope, double[] bias, double[] leafPath) {

    /** Largest leaf path length accepted: a depth of at most {@link FlatTrees#MAX_DEPTH} plus c(psi) is far below. */
    static final double MAX_LEAF_PATH = 10_000;

    /**
     * Validates everything scoring relies on, so that a forest that is built can be scored in bounded time with
     * a finite result: consistent array lengths, children in range, disjoint acyclic trees of bounded depth
     * ({@link FlatTrees}), finite split parameters and leaf path lengths in [0, {@value #MAX_LEAF_PATH}].
     */
    public FlatIsolationForest {
        int nodes = left.length;
        if (features < 1 || roots.length == 0 || nodes == 0) {
            throw new IllegalArgumentException("a forest needs features, trees and nodes (features " + features
                    + ", trees " + roots.length + ", nodes " + nodes + ")");
        }
        if (right.length != nodes || bias.length != nodes || leafPath.length != nodes || slope.length != (long) nodes * features) {
            throw new IllegalArgumentException("inconsistent flat forest arrays");
        }
        if (subsample < 2) {
            throw new IllegalArgumentException("subsample must be at least 2");
        }
        for (int i = 0; i < nodes; i++) {
            if ((left[i] >= nodes) || (right[i] >= nodes) || (left[i] >= 0) != (right[i] >= 0)) {
                throw new IllegalArgumentException("node " + i + " has invalid children");
            }
            if (left[i] < 0) {
                if (!(leafPath[i] >= 0 && leafPath[i] <= MAX_LEAF_PATH)) { // also refuses NaN
                    throw new IllegalArgumentException("leaf " + i + " has path length " + leafPath[i]
                            + " (expected 0.." + MAX_LEAF_PATH + ")");
                }
            } else if (!Double.isFinite(bias[i])) {
                throw new IllegalArgumentException("node " + i + " has a non-finite split value");
            }
        }
        for (int k = 0; k < slope.length; k++) {
            if (!Double.isFinite(slope[k])) {
                throw new IllegalArgumentException("node " + (k / features) + " has a non-finite split slope");
            }
        }
        for (int r : roots) {
            if (r < 0 || r >= nodes) {
                throw new IllegalArgumentException("tree root " + r + " is out of range");
            }
        }
        FlatTrees.checkTrees(roots, left, right, i -> left[i] < 0, FlatTrees.MAX_DEPTH);
    }

    /** Mean path length of x over all trees. */
    public double meanPath(double[] x) {
        double sum = 0;
        final int p = features;
        for (int root : roots) {
            int node = root;
            while (left[node] >= 0) {
                double dot = 0;
                int base = node * p;
                for (int k = 0; k < p; k++) {
                    dot += x[k] * slope[base + k];
                }
                node = dot < bias[node] ? left[node] : right[node];
            }
            sum += leafPath[node];
        }
        return sum / roots.length;
    }

    /** The anomaly score s(x) = 2^(-E[h(x)] / c(psi)) of Liu et al.; higher is more anomalous, in (0, 1). */
    public double anomalyScore(double[] x) {
        return Math.pow(2.0, -meanPath(x) / averagePathLength(subsample));
    }

    /** c(n): the average path length of an unsuccessful search in a binary search tree of n points. */
    public static double averagePathLength(int n) {
        if (n <= 1) {
            return 0;
        }
        if (n == 2) {
            return 1;
        }
        return 2.0 * (Math.log(n - 1.0) + 0.5772156649) - 2.0 * (n - 1.0) / n;
    }
}
