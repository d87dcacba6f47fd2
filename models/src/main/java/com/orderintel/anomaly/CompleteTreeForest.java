package com.orderintel.anomaly;

import java.util.Arrays;

/**
 * A fast, exact scoring layout of a {@link FlatIsolationForest} whose splits each use one feature (Smile's
 * extension level 0, scikit-learn's axis-parallel forest), for finite inputs:
 * <ol>
 *   <li>Each split {@code x[a] * scale < bias} is the same, for every finite x, as {@code x[a] < u} or
 *   {@code !(x[a] < u)} for one double u (rounded multiplication is monotone in x), found by bisection over
 *   the doubles; the children are swapped for the second form.</li>
 *   <li>The u of each feature are sorted; a record's feature value becomes its rank among them (how many are
 *   {@code <= x}), and {@code x < u_j} is exactly {@code rank(x) <= j}. The (up to four) 16-bit ranks of a
 *   record live in one long, so a split is an int load, a shift and an integer compare: no multiply, no
 *   gather, no branch.</li>
 *   <li>Every tree is padded to a complete binary tree of the forest's depth D, stored heap-style (children of
 *   slot i are 2i+1 and 2i+2); a leaf above depth D continues through splits that are always true. A walk is
 *   exactly D steps. A tree is 4 bytes a split plus 8 a leaf slot: about 3 KB at depth 8.</li>
 * </ol>
 * Path lengths are added in tree order, as in the general form, so the scores are identical doubles.
 * One record walks four trees at a time (independent chains the CPU overlaps); a block of records is scored
 * tree by tree (eight walks at a time), each tree over the whole block while it is in L1 cache. The same walk
 * explains a record ({@link #attribute}): a per-slot value (the path attribution's expectation) is followed down
 * the path. Hand-written: the layout is specific to our exported trees and no library serves Smile trees flat.
 */
final class CompleteTreeForest {

    /** Deeper trees (2^13 slots each) would waste memory on padding; they take the general path. */
    static final int MAX_DEPTH = 12;
    /** Rows per block in batch scoring: their ranks and sums stay in L1 beside one tree. */
    static final int BLOCK = 1024;
    private static final int ALWAYS = 0xFFFF;
    /** A padding split's node: threshold field ALWAYS, above every rank, so the split always holds. */
    private static final int ALWAYS_NODE = ALWAYS << 6;
    private static final int MAX_FEATURES = 4;

    private final int trees;
    private final int depth;
    private final int internal;
    private final int leaves;
    /**
     * Per split slot: (rank of its threshold + 1) << 6 | 16 * feature, ALWAYS_NODE for a padding split. The low six
     * bits are the shift that brings the feature's rank down, and a long shift uses only those six bits, so a step
     * needs no mask to take them out.
     */
    private final int[] nodes;
    /** Per leaf slot: the path length of the leaf reached there. */
    private final double[] leaf;
    /** Per feature: the sorted distinct split thresholds u. */
    private final double[][] thresholds;
    /** Per split slot: the flat forest's node it holds (a padding slot: the leaf it continues to). */
    private final int[] slotNode;

    private CompleteTreeForest(int trees, int depth, int[] nodes, double[] leaf, double[][] thresholds, int[] slotNode) {
        this.trees = trees;
        this.depth = depth;
        this.internal = (1 << depth) - 1;
        this.leaves = 1 << depth;
        this.nodes = nodes;
        this.leaf = leaf;
        this.thresholds = thresholds;
        this.slotNode = slotNode;
    }

    /**
     * The layout, or null when the forest does not fit it (more than four features, a split on several features
     * or none, a tree deeper than {@link #MAX_DEPTH}, or more than 65,534 distinct thresholds on a feature).
     */
    static CompleteTreeForest of(FlatIsolationForest f) {
        int p = f.features();
        int depth = layoutDepth(f);
        if (depth < 0) {
            return null;
        }
        int trees = f.roots().length;
        int internal = (1 << depth) - 1;
        Slots slots = new Slots(trees * internal, trees * (internal + 1));
        for (int t = 0; t < trees; t++) {
            if (!slots.fill(f, f.roots()[t], 0, depth, t * internal, t * (internal + 1))) {
                return null;
            }
        }
        double[][] thresholds = new double[p][];
        for (int k = 0; k < p; k++) {
            int feature = k;
            thresholds[k] = java.util.stream.IntStream.range(0, slots.axis.length).filter(i -> slots.axis[i] == feature)
                    .mapToDouble(i -> slots.u[i]).sorted().distinct().toArray();
            if (thresholds[k].length >= ALWAYS) {
                return null;
            }
        }
        int[] nodes = new int[slots.axis.length];
        for (int i = 0; i < nodes.length; i++) {
            int a = slots.axis[i];
            nodes[i] = a < 0 ? ALWAYS_NODE : (Arrays.binarySearch(thresholds[a], slots.u[i]) + 1) << 6 | 16 * a;
        }
        return new CompleteTreeForest(trees, depth, nodes, slots.leaf, thresholds, slots.node);
    }

    /**
     * The depth D every tree is padded to, or -1 when the forest takes the general path (more than four features or
     * a tree deeper than {@link #MAX_DEPTH}). Walks at most the nodes within MAX_DEPTH levels of each root.
     */
    static int layoutDepth(FlatIsolationForest f) {
        if (f.features() > MAX_FEATURES) {
            return -1;
        }
        int depth = 0;
        for (int root : f.roots()) {
            int d = depth(f, root, 0);
            if (d < 0) {
                return -1;
            }
            depth = Math.max(depth, d);
        }
        return depth;
    }

    /**
     * Bytes {@link #of} allocates for {@code trees} trees padded to depth D, at its peak, and the explanation's
     * per-slot values: per split slot its node (4), the flat node it holds (4), its expectation for explanations
     * (8), and while building its feature (1), its threshold u (8) and at most one sorted copy of it (8); per leaf
     * slot its path length (8). A chain tree of depth D has 2D + 1 nodes but fills 2^(D+1) - 1 slots, so this is
     * computed from the trees' shapes, not from the artifact's size: 30,000 chains of depth 12 (a 36 MB artifact)
     * would take 5.0 GB at the peak (2.9 GB kept).
     */
    static long bytes(int trees, int depth) {
        long splits = (1L << depth) - 1;
        long leaves = 1L << depth;
        return trees * (splits * (4 + 4 + 8 + 1 + 8 + 8) + leaves * 8);
    }

    /** Depth (edges to the deepest leaf) of the subtree at node; -1 when deeper than MAX_DEPTH (or cyclic). */
    private static int depth(FlatIsolationForest f, int node, int level) {
        if (level > MAX_DEPTH) {
            return -1;
        }
        if (f.left()[node] < 0) {
            return 0;
        }
        int l = depth(f, f.left()[node], level + 1);
        int r = depth(f, f.right()[node], level + 1);
        return l < 0 || r < 0 ? -1 : 1 + Math.max(l, r);
    }

    /** The padded trees before thresholds become ranks: per split slot its feature (-1: padding), u and flat node. */
    private static final class Slots {
        final byte[] axis;
        final double[] u;
        final int[] node;
        final double[] leaf;

        Slots(int splits, int leaves) {
            axis = new byte[splits];
            u = new double[splits];
            node = new int[splits];
            leaf = new double[leaves];
        }

        /** Writes the subtree at {@code node} into heap slot {@code slot}; false if a split is not axis-aligned. */
        boolean fill(FlatIsolationForest f, int node, int slot, int depth, int splitBase, int leafBase) {
            int internal = (1 << depth) - 1;
            if (slot >= internal) {
                leaf[leafBase + slot - internal] = f.leafPath()[node];
                return true;
            }
            int n = splitBase + slot;
            this.node[n] = node;
            if (f.left()[node] < 0) { // a leaf above full depth: always-true splits down to copies of the leaf
                axis[n] = -1;
                return fill(f, node, 2 * slot + 1, depth, splitBase, leafBase)
                        && fill(f, node, 2 * slot + 2, depth, splitBase, leafBase);
            }
            int p = f.features();
            int a = -1;
            for (int k = 0; k < p; k++) {
                if (f.slope()[node * p + k] != 0) {
                    if (a >= 0) {
                        return false;
                    }
                    a = k;
                }
            }
            double scale = a < 0 ? 0 : f.slope()[node * p + a];
            if (a < 0 || !Double.isFinite(scale)) {
                return false; // degenerate (corrupt) split: leave the forest to the general path
            }
            double bias = f.bias()[node];
            axis[n] = (byte) a;
            // x * scale < bias  <=>  x < u (scale > 0: "true" is the left child) or !(x < u) (scale < 0: the right).
            u[n] = scale > 0 ? smallestWhere(x -> !(x * scale < bias)) : smallestWhere(x -> x * scale < bias);
            int whenTrue = scale > 0 ? f.left()[node] : f.right()[node];
            int whenFalse = scale > 0 ? f.right()[node] : f.left()[node];
            return fill(f, whenTrue, 2 * slot + 1, depth, splitBase, leafBase)
                    && fill(f, whenFalse, 2 * slot + 2, depth, splitBase, leafBase);
        }
    }

    /**
     * The smallest finite double where a predicate that is monotone (false, then true, over the finite doubles
     * in order) becomes true; +Infinity when it never does. Bisection over the doubles' ordered bit patterns.
     */
    static double smallestWhere(java.util.function.DoublePredicate pred) {
        if (pred.test(-Double.MAX_VALUE)) {
            return -Double.MAX_VALUE;
        }
        if (!pred.test(Double.MAX_VALUE)) {
            return Double.POSITIVE_INFINITY;
        }
        return com.orderintel.models.DoubleBoundary.firstTrue(pred);
    }

    /** The record's per-feature ranks, 16 bits each; x must be finite. */
    long ranks(double[] x) {
        long r = 0;
        for (int k = 0; k < thresholds.length; k++) {
            r |= (long) rank(thresholds[k], x[k]) << (16 * k);
        }
        return r;
    }

    /**
     * How many of the sorted thresholds are {@code <= v}. Branch-free halving (the same count as a plain binary
     * search): a record's values are unpredictable, so the classic loop mispredicted about every other step.
     */
    private static int rank(double[] sorted, double v) {
        int base = 0;
        int n = sorted.length;
        while (n > 1) {
            int half = n >>> 1;
            base = sorted[base + half - 1] <= v ? base + half : base;
            n -= half;
        }
        return n == 0 ? 0 : base + (sorted[base] <= v ? 1 : 0);
    }

    /** Sum of path lengths of x over all trees, in tree order; x must be finite. */
    double totalPath(double[] x) {
        final long r = ranks(x);
        final int[] nd = nodes;
        final int in = internal;
        double sum = 0;
        int t = 0;
        for (; t + 4 <= trees; t += 4) { // four independent walks per step; leaves added in tree order
            int b0 = t * in;
            int b1 = b0 + in;
            int b2 = b1 + in;
            int b3 = b2 + in;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            for (int d = 0; d < depth; d++) {
                i0 = step(i0, nd[b0 + i0], r);
                i1 = step(i1, nd[b1 + i1], r);
                i2 = step(i2, nd[b2 + i2], r);
                i3 = step(i3, nd[b3 + i3], r);
            }
            int lb = t * leaves - in;
            sum += leaf[lb + i0];
            sum += leaf[lb + leaves + i1];
            sum += leaf[lb + 2 * leaves + i2];
            sum += leaf[lb + 3 * leaves + i3];
        }
        for (; t < trees; t++) {
            int b = t * in;
            int i = 0;
            for (int d = 0; d < depth; d++) {
                i = step(i, nd[b + i], r);
            }
            sum += leaf[t * leaves - in + i];
        }
        return sum;
    }

    /** One level down: slot 2i+1 when the split holds (rank <= threshold rank), else 2i+2. */
    private static int step(int i, int node, long ranks) {
        // rank - (threshold + 1) is negative exactly when rank <= threshold: its sign bit is the test. ranks >>> node
        // shifts by node's low six bits (Java masks a long's shift distance), i.e. by 16 * feature.
        return 2 * i + 2 - ((((int) (ranks >>> node) & 0xFFFF) - (node >>> 6)) >>> 31);
    }

    /** Per split slot, {@code perNode} of the flat node the slot holds: the values {@link #attribute} follows. */
    double[] bySlot(double[] perNode) {
        double[] out = new double[slotNode.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = perNode[slotNode[i]];
        }
        return out;
    }

    /**
     * Walks x (finite) exactly as {@link #totalPath} does and credits each real split's feature with the change of
     * {@code slotValue} from the split to the child taken; a leaf slot's value is its path length (a leaf's
     * expectation is its path length). Padding splits continue a leaf to itself and add 0. So with
     * {@code slotValue = bySlot(expected)}, {@code effect} receives, tree by tree and root to leaf, the very
     * differences the flat walk of {@link IsolationPathAttribution} adds. Returns the sum of path lengths, in tree
     * order, as {@link #totalPath}.
     */
    double attribute(double[] x, double[] slotValue, double[] effect) {
        final long r = ranks(x);
        final int[] nd = nodes;
        final int in = internal;
        double sum = 0;
        for (int t = 0; t < trees; t++) {
            int b = t * in;
            int i = 0;
            double here = slotValue[b];
            for (int d = 0; d < depth; d++) {
                int node = nd[b + i];
                i = step(i, node, r);
                double next = i < in ? slotValue[b + i] : leaf[t * leaves - in + i];
                effect[(node & 63) >>> 4] += next - here; // a padding node's low bits are 0, its change 0
                here = next;
            }
            sum += leaf[t * leaves - in + i];
        }
        return sum;
    }

    /**
     * Sums of path lengths of {@code n} records given by their {@link #ranks(double[])} into {@code out[0..n-1]}:
     * tree-major, each tree over all records (eight walks at a time) while the tree is in cache. Each sum is
     * added in tree order, as {@link #totalPath(double[])} adds it.
     */
    void totalPaths(long[] ranks, int n, double[] out) {
        final int[] nd = nodes;
        final int in = internal;
        Arrays.fill(out, 0, n, 0.0);
        for (int t = 0; t < trees; t++) {
            final int b = t * in;
            final int lb = t * leaves - in;
            int r = 0;
            for (; r + 8 <= n; r += 8) { // eight independent walks per step
                long r0 = ranks[r];
                long r1 = ranks[r + 1];
                long r2 = ranks[r + 2];
                long r3 = ranks[r + 3];
                long r4 = ranks[r + 4];
                long r5 = ranks[r + 5];
                long r6 = ranks[r + 6];
                long r7 = ranks[r + 7];
                int i0 = 0;
                int i1 = 0;
                int i2 = 0;
                int i3 = 0;
                int i4 = 0;
                int i5 = 0;
                int i6 = 0;
                int i7 = 0;
                for (int d = 0; d < depth; d++) {
                    i0 = step(i0, nd[b + i0], r0);
                    i1 = step(i1, nd[b + i1], r1);
                    i2 = step(i2, nd[b + i2], r2);
                    i3 = step(i3, nd[b + i3], r3);
                    i4 = step(i4, nd[b + i4], r4);
                    i5 = step(i5, nd[b + i5], r5);
                    i6 = step(i6, nd[b + i6], r6);
                    i7 = step(i7, nd[b + i7], r7);
                }
                out[r] += leaf[lb + i0];
                out[r + 1] += leaf[lb + i1];
                out[r + 2] += leaf[lb + i2];
                out[r + 3] += leaf[lb + i3];
                out[r + 4] += leaf[lb + i4];
                out[r + 5] += leaf[lb + i5];
                out[r + 6] += leaf[lb + i6];
                out[r + 7] += leaf[lb + i7];
            }
            for (; r < n; r++) {
                int i = 0;
                for (int d = 0; d < depth; d++) {
                    i = step(i, nd[b + i], ranks[r]);
                }
                out[r] += leaf[lb + i];
            }
        }
    }
}
