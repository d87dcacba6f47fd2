package com.orderintel.forecast;

/**
 * Regression trees of a gradient-boosted ensemble in flat primitive arrays, so serving needs no ML library
 * and walks no object graph. Nodes of all trees share the arrays; {@code roots[t]} is the first node of tree t.
 * An internal node sends x left when {@code x[feature[node]] <= threshold[node]} (Smile's ordinal split; a NaN
 * goes right, as in Smile); a leaf has {@code feature[node] == -1} and holds its output in {@code value[node]}.
 * The prediction is {@code base + sum_t shrinkage * leafValue_t(x)}, accumulated in tree order like Smile's
 * {@code GradientTreeBoost.predict}, so both give the same double.
 *
 * <p>Nodes are laid out in pre-order (children after their parent); the constructor checks that, so a corrupt
 * artifact can never make {@link #predict(double[])} loop.
 */
public record FlatTreeEnsemble(int features, double base, double shrinkage, int[] roots, int[] feature,
                               double[] threshold, int[] left, int[] right, double[] value) {

    public FlatTreeEnsemble {
        int nodes = feature.length;
        if (threshold.length != nodes || left.length != nodes || right.length != nodes || value.length != nodes) {
            throw new IllegalArgumentException("inconsistent flat tree arrays");
        }
        if (features < 1 || roots.length == 0 || !Double.isFinite(base) || !Double.isFinite(shrinkage)) {
            throw new IllegalArgumentException("invalid ensemble header (features " + features + ", trees "
                    + roots.length + ", base " + base + ", shrinkage " + shrinkage + ")");
        }
        for (int i = 0; i < nodes; i++) {
            if (feature[i] == -1) {
                if (!Double.isFinite(value[i])) {
                    throw new IllegalArgumentException("leaf " + i + " has a non-finite value");
                }
            } else if (feature[i] < 0 || feature[i] >= features || left[i] <= i || right[i] <= i
                    || left[i] >= nodes || right[i] >= nodes) {
                throw new IllegalArgumentException("node " + i + " has an invalid feature or children");
            }
        }
        for (int r : roots) {
            if (r < 0 || r >= nodes) {
                throw new IllegalArgumentException("tree root " + r + " is out of range");
            }
        }
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
