package com.orderintel.models;

import java.util.function.IntPredicate;

/**
 * The shape check shared by the flat tree forms ({@code FlatIsolationForest}, {@code FlatTreeEnsemble}): from
 * each root, every node is reached exactly once (no cycle, no node shared between trees or subtrees) and no
 * root-to-leaf path is longer than a bound. A forest that passes can be walked from any root in at most
 * {@code maxDepth} steps, so a crafted artifact cannot make scoring loop. Checked once when a model is built,
 * never per request. Hand-written: an iterative walk over two int arrays, which no library offers for this
 * layout; iterative so a deep crafted tree cannot overflow the stack.
 */
public final class FlatTrees {

    /** Deeper than any tree our trainers build (isolation trees: ceil(log2 psi); GBT: its max_depth, typically < 20). */
    public static final int MAX_DEPTH = 512;

    private FlatTrees() {
    }

    /**
     * Checks that the nodes reachable from {@code roots} form disjoint trees of depth at most {@code maxDepth}.
     * Children of a node that is not a leaf must already be known to lie in {@code [0, left.length)}.
     *
     * @throws IllegalArgumentException naming the first offending tree or node
     */
    public static void checkTrees(int[] roots, int[] left, int[] right, IntPredicate isLeaf, int maxDepth) {
        int nodes = left.length;
        boolean[] reached = new boolean[nodes];
        int[] stack = new int[nodes];
        int[] depth = new int[nodes];
        for (int t = 0; t < roots.length; t++) {
            int root = roots[t];
            if (reached[root]) {
                throw new IllegalArgumentException("tree " + t + " starts at node " + root + ", which another tree already uses");
            }
            reached[root] = true;
            int top = 0;
            stack[top] = root;
            depth[root] = 0;
            top++;
            while (top > 0) {
                int node = stack[--top];
                if (isLeaf.test(node)) {
                    continue;
                }
                int d = depth[node] + 1;
                if (d > maxDepth) {
                    throw new IllegalArgumentException("tree " + t + " is deeper than " + maxDepth + " levels");
                }
                for (int k = 0; k < 2; k++) {
                    int child = k == 0 ? left[node] : right[node];
                    if (reached[child]) {
                        throw new IllegalArgumentException("node " + node + " leads back to node " + child
                                + " (a cycle or a shared subtree)");
                    }
                    reached[child] = true;
                    depth[child] = d;
                    stack[top++] = child;
                }
            }
        }
    }
}
