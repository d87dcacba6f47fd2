package com.orderintel.anomaly;

import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.registry.ModelManifest.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Path-length attributions on a forest built here by Liu et al.'s algorithm (200 trees, psi 256) over 4,000
 * constructed orders: exact additivity, exact routing, and an order odd in one feature only gets nearly all of
 * the attribution on that feature (the property docs/models.md shows).
 */
class IsolationPathAttributionTest {

    static double[][] data;
    static TestIsolationForests.Built built;
    static IsolationPathAttribution attribution;

    /** Normal orders: processing ~ N(1500, 200) ms, 1 + geometric(0.3) items, payment score ~ N(0.85, 0.04). */
    @BeforeAll
    static void forest() {
        SplittableRandom rnd = new SplittableRandom(42);
        data = new double[4000][];
        for (int i = 0; i < data.length; i++) {
            data[i] = new double[] {1500 + 200 * gaussian(rnd), items(rnd),
                    Math.min(1, Math.max(0.5, 0.85 + 0.04 * gaussian(rnd)))};
        }
        built = TestIsolationForests.build(data, 200, 256, 7);
        attribution = new IsolationPathAttribution(built.forest());
    }

    /** 1 + geometric(0.3): most orders have 1-4 items, a thin tail goes past 20. */
    private static double items(SplittableRandom rnd) {
        int n = 1;
        while (rnd.nextDouble() < 0.7) {
            n++;
        }
        return n;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    @Test
    void leafSizesAreRecoveredFromThePathAdjustment() {
        for (int n = 2; n <= 256; n++) {
            assertThat(IsolationPathAttribution.leafSize(FlatIsolationForest.averagePathLength(n), 256)).as("n=%d", n).isEqualTo(n);
        }
        assertThat(IsolationPathAttribution.leafSize(0, 256)).isEqualTo(1);
        FlatIsolationForest f = built.forest();
        int checked = 0;
        for (int t = 0; t < f.roots().length; t++) {
            checked += checkDepths(f, f.roots()[t], 0);
        }
        assertThat(checked).isGreaterThan(1000);
    }

    private static int checkDepths(FlatIsolationForest f, int node, int depth) {
        if (f.left()[node] < 0) {
            int size = built.leafSize()[node];
            assertThat(IsolationPathAttribution.leafSize(f.leafPath()[node] - depth, f.subsample()))
                    .isEqualTo(Math.max(1, size));
            return 1;
        }
        return checkDepths(f, f.left()[node], depth + 1) + checkDepths(f, f.right()[node], depth + 1);
    }

    @Test
    void theCompleteTreeWalkGivesTheFlatWalksVeryEffectsAndPath() {
        FlatIsolationForest f = built.forest();
        CompleteTreeForest layout = CompleteTreeForest.of(f);
        assertThat(layout).as("the test forest fits the fast layout").isNotNull();
        IsolationPathAttribution fast = new IsolationPathAttribution(f, layout);
        SplittableRandom rnd = new SplittableRandom(11);
        double[] flatEffect = new double[3];
        double[] fastEffect = new double[3];
        int differentFromZero = 0;
        for (int i = 0; i < 3000; i++) {
            double[] x = i < 1000 ? data[i] : new double[] {rnd.nextDouble(0, 10_000), rnd.nextInt(0, 60), rnd.nextDouble()};
            if (i >= 2000) { // exactly on a split point: the layout's rank compare must route as the flat compare
                int node = rnd.nextInt(f.left().length);
                for (int k = 0; k < 3; k++) {
                    double s = f.slope()[node * 3 + k];
                    if (s != 0 && f.left()[node] >= 0) {
                        x[k] = f.bias()[node] / s;
                    }
                }
            }
            double flatPath = attribution.attribute(x, flatEffect);
            double fastPath = fast.attribute(x, fastEffect);
            assertThat(fastPath).as("row %d", i).isEqualTo(flatPath);
            assertThat(fastEffect).as("row %d", i).containsExactly(flatEffect);
            differentFromZero += flatEffect[0] != 0 ? 1 : 0;
        }
        assertThat(differentFromZero).as("the comparison is not of zeros").isGreaterThan(2500);
        // a non-finite value takes the flat walk in both
        double[] nan = {Double.NaN, 3, 0.8};
        assertThat(fast.attribute(nan, fastEffect)).isEqualTo(attribution.attribute(nan, flatEffect));
        assertThat(fastEffect).containsExactly(flatEffect);
    }

    @Test
    void effectsAddUpToThePathLengthAndRoutingIsTheScorersOwn() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] effect = new double[3];
        FlatIsolationForest f = built.forest();
        for (int i = 0; i < 3000; i++) {
            double[] x = i < 1000 ? data[i] : new double[] {rnd.nextDouble(0, 10_000), rnd.nextInt(0, 60), rnd.nextDouble()};
            if (i >= 2000) { // on and next to split points, and non-finite values: routed exactly as scoring routes
                int node = rnd.nextInt(f.left().length);
                for (int k = 0; k < 3; k++) {
                    double s = f.slope()[node * 3 + k];
                    if (s != 0) {
                        double t = f.bias()[node] / s;
                        x[k] = i % 3 == 0 ? t : i % 3 == 1 ? Math.nextUp(t) : Math.nextDown(t);
                    }
                }
                if (i % 50 == 0) {
                    x[i % 3] = i % 100 == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
                }
            }
            double path = attribution.attribute(x, effect);
            assertThat(path).as("row %d", i).isEqualTo(f.meanPath(x));
            assertThat(Arrays.stream(effect).sum()).isCloseTo(path - attribution.base(), within(1e-9));
        }
        // the baseline is the training rows' mean path, of the order of c(psi), the score's normaliser
        double c = FlatIsolationForest.averagePathLength(256);
        assertThat(attribution.base()).isBetween(0.8 * c, 1.2 * c);
    }

    @Test
    void anOrderOddInOneFeatureOnlyGetsNearlyAllTheAttributionOnIt() {
        double[] typical = {1500, 3, 0.85};
        double[][] oddValues = {{9000, 3, 0.85}, {1500, 40, 0.85}, {1500, 3, 0.05}};
        for (int f = 0; f < 3; f++) {
            double[] effect = new double[3];
            double path = attribution.attribute(oddValues[f], effect);
            double shortening = Arrays.stream(effect).map(e -> Math.max(0, -e)).sum();
            assertThat(effect[f]).as("feature %d shortens the paths", f).isLessThan(-2.0);
            assertThat(-effect[f] / shortening).as("feature %d's share of the shortening", f).isGreaterThan(0.9);
            for (int g = 0; g < 3; g++) {
                if (g != f) {
                    assertThat(Math.abs(effect[g])).as("feature %d beside odd %d", g, f).isLessThan(Math.abs(effect[f]) / 5);
                }
            }
            assertThat(path).isLessThan(attribution.base() - 2.0);
        }
        double[] effect = new double[3];
        attribution.attribute(typical, effect);
        assertThat(Arrays.stream(effect).sum()).as("a typical order is not shortened").isGreaterThan(-0.5);
    }

    @Test
    void theModelExplainsInPlainWordsWithTheTrainingPercentiles() {
        IsolationForestModel model = new IsolationForestModel(manifest(), built.forest(), -0.5);
        AnomalyExplanation e = model.explain(new OrderMetrics("o-1", 1500, 3, 0.05));
        assertThat(e.top().feature()).isEqualTo("payment_score");
        assertThat(e.top().share()).isGreaterThan(0.9);
        assertThat(e.top().trainingPercentile()).isZero();
        assertThat(e.top().text()).isEqualTo("payment_score 0.05 is below every one of the training orders (minimum 0.7056)");
        assertThat(e.summary()).startsWith("payment_score 0.05 is below every one of the training orders")
                .doesNotContain("item_count").doesNotContain("avg_processing_ms");
        assertThat(e.features()).extracting(AnomalyExplanation.FeatureAttribution::feature)
                .containsExactlyInAnyOrder(OrderMetrics.FEATURES.toArray(String[]::new));
        assertThat(e.meanPath() - e.expectedPath()).isCloseTo(
                e.features().stream().mapToDouble(AnomalyExplanation.FeatureAttribution::pathEffect).sum(), within(1e-9));
        assertThat(model.score(new OrderMetrics("o-1", 1500, 3, 0.05)).anomalous()).isTrue();

        AnomalyExplanation low = model.explain(new OrderMetrics("o-2", 1500, 3, 0.75));
        assertThat(low.top().feature()).isEqualTo("payment_score");
        assertThat(low.top().text()).matches("payment_score 0\\.75 is below 9\\d\\.\\d % of training orders");

        AnomalyExplanation normal = model.explain(new OrderMetrics("o-3", 1500, 3, 0.85));
        assertThat(normal.features().stream().mapToDouble(AnomalyExplanation.FeatureAttribution::pathEffect).sum())
                .isGreaterThan(-0.5);
    }

    /** The manifest a trainer writes: range, median and a decile histogram of each feature over the data. */
    static ModelManifest manifest() {
        List<FeatureSpec> specs = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            final int col = f;
            double[] v = Arrays.stream(data).mapToDouble(r -> r[col]).sorted().toArray();
            List<Double> edges = new ArrayList<>(List.of(v[0]));
            for (int b = 1; b < 10; b++) {
                double q = v[(int) ((long) b * (v.length - 1) / 10)];
                if (q > edges.getLast() && q < v[v.length - 1]) {
                    edges.add(q);
                }
            }
            edges.add(v[v.length - 1]);
            double[] e = edges.stream().mapToDouble(Double::doubleValue).toArray();
            double[] counts = new double[e.length - 1];
            for (double x : v) {
                counts[Histogram.binOf(e, x)]++;
            }
            specs.add(new FeatureSpec(OrderMetrics.FEATURES.get(f), f == 1 ? FeatureType.INTEGER : FeatureType.NUMERIC,
                    v[0], v[v.length - 1], v[v.length / 2], new Histogram(edges,
                    Arrays.stream(counts).map(c -> c / v.length).boxed().toList()), null));
        }
        return new ModelManifest(1, "order-anomaly", "t1", ModelManifest.Task.ANOMALY, null, null, specs, null, null,
                null, null, null, null, null);
    }
}
