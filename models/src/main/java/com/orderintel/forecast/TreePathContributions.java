package com.orderintel.forecast;

/**
 * Tree-path contributions (Saabas, 2014, "Interpreting random forests"; the {@code treeinterpreter} method) of a
 * {@link FlatTreeEnsemble}: walking x down each tree, every split moves the node's expected output to its
 * child's, and the change is credited to the split's feature. Along a path the changes add up to the leaf
 * value minus the root's expectation, so
 * <pre>  prediction = base + shrinkage * sum_t expected[root_t] + sum_f contribution_f   (exactly, up to rounding)</pre>
 *
 * <p>Saabas weights a node's children by the training rows that reached them; {@code gbt-flat/v2} stores no
 * node sizes (covers), so here a node's expectation is the plain mean of its two children's (each branch taken
 * with probability 1/2). The decomposition stays exact; only the reference point differs from the data-weighted
 * one, which would need the covers exported with the trees (a future format version).
 */
public final class TreePathContributions {

    private final FlatTreeEnsemble trees;
    private final double[] expected;
    private final double base;

    public TreePathContributions(FlatTreeEnsemble trees) {
        this.trees = trees;
        this.expected = new double[trees.nodes()];
        // pre-order layout (children after their parent, checked by FlatTreeEnsemble): a reverse scan fills
        // every child before its parent
        for (int i = trees.nodes() - 1; i >= 0; i--) {
            expected[i] = trees.feature()[i] < 0 ? trees.value()[i]
                    : (expected[trees.left()[i]] + expected[trees.right()[i]]) / 2;
        }
        double sum = 0;
        for (int root : trees.roots()) {
            sum += expected[root];
        }
        this.base = trees.base() + trees.shrinkage() * sum;
    }

    /** The prediction before any feature is known: the ensemble's base plus every tree's root expectation. */
    public double base() {
        return base;
    }

    /** Writes each feature's contribution for x into {@code out} (length = features) and returns the prediction. */
    public double contributions(double[] x, double[] out) {
        java.util.Arrays.fill(out, 0, trees.features(), 0);
        int[] feature = trees.feature();
        double[] threshold = trees.threshold();
        int[] left = trees.left();
        int[] right = trees.right();
        double y = trees.base();
        for (int root : trees.roots()) {
            int node = root;
            while (feature[node] >= 0) {
                int child = x[feature[node]] <= threshold[node] ? left[node] : right[node];
                out[feature[node]] += expected[child] - expected[node];
                node = child;
            }
            y += trees.shrinkage() * trees.value()[node];
        }
        for (int f = 0; f < trees.features(); f++) {
            out[f] *= trees.shrinkage();
        }
        return y;
    }
}
