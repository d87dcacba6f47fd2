package com.orderintel.anomaly;

/**
 * Valid isolation forests crafted to be expensive to serve, for the attack tests of every module (shared through
 * the models test jar): chain trees, each split with a leaf on the left and the next split on the right,
 * axis-aligned on the three order metrics. A chain of depth d has 2d + 1 nodes; the fast scoring layout pads it
 * to a complete tree of 2^(d+1) - 1 slots.
 */
public final class CraftedForests {

    private CraftedForests() {
    }

    /** {@code trees} chains of {@code depth} splits each. */
    public static FlatIsolationForest chains(int trees, int depth) {
        int per = 2 * depth + 1;
        int p = IsolationForestModel.FEATURES;
        int nodes = trees * per;
        int[] roots = new int[trees];
        int[] left = new int[nodes];
        int[] right = new int[nodes];
        double[] slope = new double[nodes * p];
        double[] bias = new double[nodes];
        double[] leaf = new double[nodes];
        for (int t = 0; t < trees; t++) {
            int b = t * per;
            roots[t] = b;
            for (int d = 0; d < depth; d++) {
                int split = b + 2 * d;
                left[split] = split + 1;
                right[split] = split + 2;
                slope[split * p + d % p] = 1.0;
                bias[split] = d + 1.0;
                left[split + 1] = -1;
                right[split + 1] = -1;
                leaf[split + 1] = d + 1.0;
            }
            left[b + per - 1] = -1;
            right[b + per - 1] = -1;
            leaf[b + per - 1] = depth;
        }
        return new FlatIsolationForest(p, 256, roots, left, right, slope, bias, leaf);
    }

    /** The {@code isolation-forest-flat/v1} artifact of {@link #chains}: 30,000 chains of depth 12 are 36 MB. */
    public static byte[] chainArtifact(int trees, int depth) {
        return IsolationForestCodec.encode(chains(trees, depth), -0.5);
    }
}
