package com.orderintel.anomaly;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast layouts give exactly the general flat form's doubles, on forests shaped unlike the trainer's too. */
class ForestScorerTest {

    @Test
    void unevenAxisAlignedTreesScoreIdenticallyRowByRowAndInBlocks() {
        SplittableRandom rnd = new SplittableRandom(5);
        FlatIsolationForest forest = randomForest(rnd, 37, 3, 9, true);
        ForestScorer scorer = new ForestScorer(forest);
        assertThat(scorer.blocked()).isTrue();
        double[][] x = rows(rnd, 3, 3 * CompleteTreeForest.BLOCK + 17);
        x[5] = new double[] {Double.NaN, 1, 2};
        x[700] = new double[] {1, Double.POSITIVE_INFINITY, 2};
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < edges.length; i++) { // extremes of the threshold bisection
            x[800 + i] = new double[] {edges[i], edges[(i + 3) % edges.length], edges[(i + 5) % edges.length]};
        }
        for (int i = 900; i < 1500; i++) { // values on and next to split points bias / scale
            for (int k = 0; k < 3; k++) {
                int node = rnd.nextInt(forest.left().length);
                double scale = forest.slope()[node * 3 + k];
                double t = scale == 0 ? 0 : forest.bias()[node] / scale;
                x[i][k] = switch (i % 3) {
                    case 0 -> t;
                    case 1 -> Math.nextUp(t);
                    default -> Math.nextDown(t);
                };
            }
        }
        double[] batch = scorer.anomalyScores(x);
        double[] range = new double[x.length];
        scorer.anomalyScores(x, 3, x.length, range);
        for (int i = 0; i < x.length; i++) {
            double expected = forest.anomalyScore(x[i]);
            assertThat(scorer.anomalyScore(x[i])).as("row %d", i).isEqualTo(expected);
            assertThat(batch[i]).as("row %d", i).isEqualTo(expected);
            if (i >= 3) {
                assertThat(range[i]).as("row %d", i).isEqualTo(expected);
            }
        }
        assertThat(range[0]).isZero(); // rows outside the range are left alone
    }

    @Test
    void obliqueSplitsAndTooDeepTreesFallBackToTheGeneralForm() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (FlatIsolationForest forest : List.of(randomForest(rnd, 5, 3, 6, false),
                randomForest(rnd, 3, 3, CompleteTreeForest.MAX_DEPTH + 2, true))) {
            ForestScorer scorer = new ForestScorer(forest);
            assertThat(scorer.blocked()).isFalse();
            double[][] x = rows(rnd, 3, 300);
            double[] batch = scorer.anomalyScores(x);
            for (int i = 0; i < x.length; i++) {
                assertThat(batch[i]).isEqualTo(forest.anomalyScore(x[i]));
            }
        }
    }

    private static double[][] rows(SplittableRandom rnd, int p, int n) {
        double[][] x = new double[n][p];
        for (double[] row : x) {
            for (int k = 0; k < p; k++) {
                row[k] = rnd.nextDouble(-3, 3);
            }
        }
        return x;
    }

    /** Random trees, some leaves shallow and some at maxDepth (a chain forces the full depth). */
    private static FlatIsolationForest randomForest(SplittableRandom rnd, int trees, int p, int maxDepth, boolean axisAligned) {
        Nodes nodes = new Nodes(p);
        int[] roots = new int[trees];
        for (int t = 0; t < trees; t++) {
            roots[t] = nodes.add(rnd, 0, maxDepth, axisAligned, true);
        }
        int n = nodes.left.size();
        return new FlatIsolationForest(p, 256, roots, nodes.left.stream().mapToInt(i -> i).toArray(),
                nodes.right.stream().mapToInt(i -> i).toArray(), nodes.slope.stream().mapToDouble(d -> d).toArray(),
                nodes.bias.stream().mapToDouble(d -> d).toArray(), nodes.leaf.stream().mapToDouble(d -> d).toArray());
    }

    private static final class Nodes {
        final int p;
        final List<Integer> left = new ArrayList<>();
        final List<Integer> right = new ArrayList<>();
        final List<Double> slope = new ArrayList<>();
        final List<Double> bias = new ArrayList<>();
        final List<Double> leaf = new ArrayList<>();

        Nodes(int p) {
            this.p = p;
        }

        int add(SplittableRandom rnd, int depth, int maxDepth, boolean axisAligned, boolean deepest) {
            int id = left.size();
            left.add(-1);
            right.add(-1);
            bias.add(0.0);
            leaf.add(depth + rnd.nextDouble(0, 3));
            int axis = rnd.nextInt(p);
            for (int k = 0; k < p; k++) {
                slope.add(axisAligned ? (k == axis ? rnd.nextDouble(-2, 2) + 0.01 : 0.0) : rnd.nextDouble(0.1, 1));
            }
            if (depth < maxDepth && (deepest || rnd.nextDouble() < 0.7)) {
                bias.set(id, rnd.nextDouble(-2, 2));
                int l = add(rnd, depth + 1, maxDepth, axisAligned, deepest);
                int r = add(rnd, depth + 1, maxDepth, axisAligned, false);
                left.set(id, l);
                right.set(id, r);
                leaf.set(id, 0.0);
            }
            return id;
        }
    }
}
