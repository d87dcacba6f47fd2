package com.orderintel.anomaly;

/**
 * A faster scoring layout of a {@link FlatIsolationForest} whose splits each use one feature, as Smile builds
 * them at extension level 0 (scikit-learn's axis-parallel Isolation Forest): the test
 * {@code dot(x, slope) < bias} becomes {@code x[axis] * scale < bias}, which for finite x is the very same double
 * comparison (the other slope terms are exact zeros), so scores are identical. Node data is interleaved
 * ({@code axis,left,right} and {@code scale,bias}) so a node visit touches two cache lines instead of six arrays.
 * Hand-written because this layout is specific to our exported trees; no library serves Smile trees flat.
 */
final class AxisAlignedForest {

    private final int[] roots;
    /** Per node: axis (-1 for a leaf), left, right. */
    private final int[] links;
    /** Per node: scale, bias for a split; leaf path length, 0 for a leaf. */
    private final double[] values;

    private AxisAlignedForest(int[] roots, int[] links, double[] values) {
        this.roots = roots;
        this.links = links;
        this.values = values;
    }

    /** The axis-aligned form, or null when some split uses several features (extension level > 0). */
    static AxisAlignedForest of(FlatIsolationForest f) {
        int nodes = f.left().length;
        int p = f.features();
        int[] links = new int[3 * nodes];
        double[] values = new double[2 * nodes];
        for (int i = 0; i < nodes; i++) {
            if (f.left()[i] < 0) {
                links[3 * i] = -1;
                values[2 * i] = f.leafPath()[i];
                continue;
            }
            int axis = -1;
            for (int k = 0; k < p; k++) {
                if (f.slope()[i * p + k] != 0) {
                    if (axis >= 0) {
                        return null;
                    }
                    axis = k;
                }
            }
            if (axis < 0) {
                return null; // a zero slope: leave such a (degenerate) forest to the general path
            }
            links[3 * i] = axis;
            links[3 * i + 1] = f.left()[i];
            links[3 * i + 2] = f.right()[i];
            values[2 * i] = f.slope()[i * p + axis];
            values[2 * i + 1] = f.bias()[i];
        }
        return new AxisAlignedForest(f.roots().clone(), links, values);
    }

    /** Sum of path lengths over all trees; x must be finite (see the class comment). */
    double totalPath(double[] x) {
        final int[] l = links;
        final double[] v = values;
        double sum = 0;
        for (int root : roots) {
            int node = root;
            int axis;
            while ((axis = l[3 * node]) >= 0) {
                node = x[axis] * v[2 * node] < v[2 * node + 1] ? l[3 * node + 1] : l[3 * node + 2];
            }
            sum += v[2 * node];
        }
        return sum;
    }
}
