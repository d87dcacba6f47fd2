package com.orderintel.forecast;

import com.orderintel.models.FlatTrees;

/**
 * Regression trees of a gradient-boosted ensemble in flat primitive arrays, so serving needs no ML library
 * and walks no object graph. Nodes of all trees share the arrays; {@code roots[t]} is the first node of tree t.
 * An internal node sends x left when {@code x[feature[node]] <= threshold[node]} (Smile's ordinal split; a NaN
 * goes right, as in Smile); a leaf has {@code feature[node] == -1} and holds its output in {@code value[node]}.
 * The prediction is {@code base + sum_t shrinkage * leafValue_t(x)}, accumulated in tree order like Smile's
 * {@code GradientTreeBoost.predict}, so both give the same double.
 *
 * <p>Nodes are laid out in pre-order (children after their parent); the constructor checks that and the rest
 * of what {@link #predict(double[])} relies on, so a corrupt artifact can never make it loop or overflow.
 */
public record FlatTreeEnsemble(int features, double base, double shrinkage, int[] roots, int[] feature,
                               double[] threshold, int[] left, int[] right, double[] value) {

    /**
     * Largest magnitude accepted for the base, the shrinkage and a leaf value: far beyond any demand, and small
     * enough that base + shrinkage * (sum of 100,000 leaves) stays finite.
     */
    static final double MAX_MAGNITUDE = 1e150;

    /**
     * Validates consistent array lengths, features in range, children after their parent, disjoint trees of
     * bounded depth ({@link FlatTrees}), finite thresholds and bounded finite base, shrinkage and leaf values.
     */
    public FlatTreeEnsemble {
        int nodes = feature.length;
        if (threshold.length != nodes || left.length != nodes || right.length != nodes || value.length != nodes) {
            throw new IllegalArgumentException("inconsistent flat tree arrays");
        }
        if (features < 1 || roots.length == 0 || nodes == 0 || !bounded(base) || !bounded(shrinkage)) {
            throw new IllegalArgumentException("invalid ensemble header (features " + features + ", trees "
                    + roots.length + ", base " + base + ", shrinkage " + shrinkage + ")");
        }
        for (int i = 0; i < nodes; i++) {
            if (feature[i] == -1) {
                if (!bounded(value[i])) {
                    throw new IllegalArgumentException("leaf " + i + " has a non-finite or implausible value " + value[i]);
                }
            } else if (feature[i] < 0 || feature[i] >= features || left[i] <= i || right[i] <= i
                    || left[i] >= nodes || right[i] >= nodes) {
                throw new IllegalArgumentException("node " + i + " has an invalid feature or children");
            } else if (!Double.isFinite(threshold[i])) {
                throw new IllegalArgumentException("node " + i + " has a non-finite threshold");
            }
        }
        for (int r : roots) {
            if (r < 0 || r >= nodes) {
                throw new IllegalArgumentException("tree root " + r + " is out of range");
            }
        }
        FlatTrees.checkTrees(roots, left, right, i -> feature[i] == -1, FlatTrees.MAX_DEPTH);
    }

    private static boolean bounded(double v) {
        return Math.abs(v) <= MAX_MAGNITUDE; // false for NaN and infinities
    }

    public double predict(double[] x) {
        double y = base;
        for (int root : roots) {
            int node = root;
            while (feature[node] >= 0) {
                node = x[feature[node]] <= threshold[node] ? left[node] : right[node];
            }
            y += shrinkage * value[node];
        }
        return y;
    }

    public int trees() {
        return roots.length;
    }

    public int nodes() {
        return feature.length;
    }
}
