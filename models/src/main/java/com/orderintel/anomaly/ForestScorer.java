package com.orderintel.anomaly;

import java.util.stream.IntStream;

/**
 * Scores records with a {@link FlatIsolationForest}, fast: finite records through the {@link CompleteTreeForest}
 * layout when the forest has one (axis-aligned splits, depth <= 12, as every forest our trainer exports), any
 * other record or forest through the general flat form. Both give the identical double
 * {@code s(x) = 2^(-E[h(x)] / c(psi))}: the same comparisons, path lengths summed in the same tree order, the
 * same final arithmetic. Immutable and thread-safe.
 */
public final class ForestScorer {

    /** Batches at least this large are split over the common fork-join pool (one block per task). */
    static final int PARALLEL_ROWS = 32 * CompleteTreeForest.BLOCK;

    private final FlatIsolationForest forest;
    private final CompleteTreeForest fast;
    private final double trees;
    private final double normaliser;

    public ForestScorer(FlatIsolationForest forest) {
        this.forest = forest;
        this.fast = CompleteTreeForest.of(forest);
        this.trees = forest.roots().length;
        this.normaliser = FlatIsolationForest.averagePathLength(forest.subsample());
    }

    /** s(x) of one record; identical to {@link FlatIsolationForest#anomalyScore(double[])}. */
    public double anomalyScore(double[] x) {
        if (fast != null && finite(x)) {
            // The same arithmetic, in the same order, as forest.anomalyScore(x): identical doubles.
            return Math.pow(2.0, -(fast.totalPath(x) / trees) / normaliser);
        }
        return forest.anomalyScore(x);
    }

    /**
     * s(x) of every row, identical to scoring each row alone; large batches use the common fork-join pool
     * (results do not depend on how rows are split over threads).
     */
    public double[] anomalyScores(double[][] x) {
        double[] out = new double[x.length];
        int blocks = (x.length + CompleteTreeForest.BLOCK - 1) / CompleteTreeForest.BLOCK;
        if (x.length < PARALLEL_ROWS) {
            anomalyScores(x, 0, x.length, out);
        } else {
            IntStream.range(0, blocks).parallel().forEach(b -> anomalyScores(x, b * CompleteTreeForest.BLOCK,
                    Math.min(x.length, (b + 1) * CompleteTreeForest.BLOCK), out));
        }
        return out;
    }

    /**
     * s(x) of rows {@code from..to-1} into {@code out[from..to-1]} on the calling thread: block by block, each
     * tree over a block of rows while the tree is in cache. For callers that spread work over threads themselves.
     */
    public void anomalyScores(double[][] x, int from, int to, double[] out) {
        if (fast == null) {
            for (int i = from; i < to; i++) {
                out[i] = forest.anomalyScore(x[i]);
            }
            return;
        }
        int p = forest.features();
        int block = Math.min(CompleteTreeForest.BLOCK, Math.max(0, to - from));
        long[] ranks = new long[block];
        double[] sums = new double[block];
        for (int start = from; start < to; start += block) {
            int n = Math.min(block, to - start);
            boolean allFinite = true;
            for (int r = 0; r < n; r++) {
                double[] row = x[start + r];
                if (row.length != p) {
                    throw new IllegalArgumentException("row " + (start + r) + " has " + row.length + " features, the forest " + p);
                }
                if (finite(row)) {
                    ranks[r] = fast.ranks(row);
                } else {
                    allFinite = false; // scored below through the general path
                }
            }
            fast.totalPaths(ranks, n, sums);
            for (int r = 0; r < n; r++) {
                out[start + r] = Math.pow(2.0, -(sums[r] / trees) / normaliser);
            }
            if (!allFinite) {
                for (int r = 0; r < n; r++) {
                    if (!finite(x[start + r])) {
                        out[start + r] = forest.anomalyScore(x[start + r]);
                    }
                }
            }
        }
    }

    /** The fast layout, null when the forest takes the general path (shared with the explanation's walk). */
    CompleteTreeForest layout() {
        return fast;
    }

    /** Whether the fast layout serves this forest (false: every record takes the general flat path). */
    public boolean blocked() {
        return fast != null;
    }

    private static boolean finite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
