package com.orderintel.anomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Liu et al.'s isolation forest built here for tests (the serving module has no training library): each tree on
 * psi rows drawn without replacement, a random feature, a split uniform between the node's min and max, depth
 * limit ceil(log2 psi), a leaf's path length depth + c(size) when size > 1 (Smile's and scikit-learn's rule).
 * Splits are stored as the serving form stores Smile's: {@code x[f] * 1.0 < split} goes left.
 */
final class TestIsolationForests {

    private TestIsolationForests() {
    }

    /** Sizes of the leaves, in node order (-1 for splits): what the artifact does not store. */
    record Built(FlatIsolationForest forest, int[] leafSize) { }

    static Built build(double[][] data, int trees, int psi, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int p = data[0].length;
        int maxDepth = (int) Math.ceil(Math.log(psi) / Math.log(2));
        Nodes nodes = new Nodes(p);
        int[] roots = new int[trees];
        for (int t = 0; t < trees; t++) {
            int[] idx = sample(rnd, data.length, psi);
            List<double[]> rows = new ArrayList<>();
            for (int i : idx) {
                rows.add(data[i]);
            }
            roots[t] = nodes.grow(rows, 0, maxDepth, rnd);
        }
        int n = nodes.size;
        return new Built(new FlatIsolationForest(p, psi, roots, Arrays.copyOf(nodes.left, n), Arrays.copyOf(nodes.right, n),
                Arrays.copyOf(nodes.slope, n * p), Arrays.copyOf(nodes.bias, n), Arrays.copyOf(nodes.leaf, n)),
                Arrays.copyOf(nodes.size(), n));
    }

    private static int[] sample(SplittableRandom rnd, int n, int k) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        return Arrays.copyOf(all, k);
    }

    private static final class Nodes {
        final int p;
        int size;
        int[] left = new int[1 << 16];
        int[] right = new int[1 << 16];
        double[] bias = new double[1 << 16];
        double[] leaf = new double[1 << 16];
        int[] sizes = new int[1 << 16];
        double[] slope;

        Nodes(int p) {
            this.p = p;
            this.slope = new double[(1 << 16) * p];
        }

        int[] size() {
            return sizes;
        }

        int grow(List<double[]> rows, int depth, int maxDepth, SplittableRandom rnd) {
            int id = size++;
            if (id == left.length) {
                int cap = id * 2;
                left = Arrays.copyOf(left, cap);
                right = Arrays.copyOf(right, cap);
                bias = Arrays.copyOf(bias, cap);
                leaf = Arrays.copyOf(leaf, cap);
                sizes = Arrays.copyOf(sizes, cap);
                slope = Arrays.copyOf(slope, cap * p);
            }
            if (depth >= maxDepth || rows.size() <= 1) {
                left[id] = -1;
                right[id] = -1;
                sizes[id] = rows.size();
                leaf[id] = depth + (rows.size() > 1 ? FlatIsolationForest.averagePathLength(rows.size()) : 0);
                return id;
            }
            int f = rnd.nextInt(p);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] r : rows) {
                min = Math.min(min, r[f]);
                max = Math.max(max, r[f]);
            }
            double split = min < max ? rnd.nextDouble(min, max) : min;
            List<double[]> l = new ArrayList<>();
            List<double[]> r = new ArrayList<>();
            for (double[] row : rows) {
                (row[f] < split ? l : r).add(row);
            }
            sizes[id] = -1;
            slope[id * p + f] = 1.0;
            bias[id] = split;
            int li = grow(l, depth + 1, maxDepth, rnd);
            int ri = grow(r, depth + 1, maxDepth, rnd);
            left[id] = li;
            right[id] = ri;
            return id;
        }
    }
}
