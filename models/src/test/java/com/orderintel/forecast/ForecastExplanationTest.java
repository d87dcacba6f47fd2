package com.orderintel.forecast;

import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Forecast contributions: base + contributions = the prediction, for OLS (exact) and the tree ensembles. */
class ForecastExplanationTest {

    private static final double[] MEDIANS = {180, 3, 0, 80, 0};

    @Test
    void olsContributionsAreCoefficientTimesDistanceFromTheTrainingMedian() {
        double[] w = {0.1, -2, 5, 0.3, 40};
        LinearDemandModel model = new LinearDemandModel(linearManifest(),
                Map.of("SKU-1", new LinearDemandModel.Coefficients(12, w)));
        DemandQuery q = new DemandQuery(LocalDate.of(2024, 8, 17), "SKU-1", 95.5, 1); // a Saturday, day 230
        ForecastExplanation e = model.explain(q);
        assertThat(e.method()).isEqualTo("linear");
        assertThat(e.prediction()).isEqualTo(model.predict(q));
        assertThat(e.sum()).isCloseTo(e.prediction(), within(1e-9));
        double[] x = {230, 5, 1, 95.5, 1};
        double base = 12;
        for (int i = 0; i < 5; i++) {
            assertThat(e.contributions().get(i).feature()).isEqualTo(DemandFeatures.NAMES.get(i));
            assertThat(e.contributions().get(i).value()).isEqualTo(x[i]);
            assertThat(e.contributions().get(i).contribution()).isCloseTo(w[i] * (x[i] - MEDIANS[i]), within(1e-12));
            base += w[i] * MEDIANS[i];
        }
        assertThat(e.base()).isCloseTo(base, within(1e-12));
        assertThat(e.contributions().get(4).contribution()).isEqualTo(40); // the promotion adds its coefficient
    }

    /** 500 random queries: base + contributions = the model's own prediction, one per feature in model order. */
    private static void assertAddsUp(DemandForecaster model, SplittableRandom rnd, int days, String method, List<String> features,
                                     java.util.function.BiConsumer<DemandQuery, ForecastExplanation> more) {
        for (int i = 0; i < 500; i++) {
            DemandQuery q = new DemandQuery(LocalDate.of(2023, 1, 1).plusDays(rnd.nextInt(days)), "SKU-1",
                    rnd.nextDouble(20, 150), rnd.nextInt(2));
            ForecastExplanation e = model.explain(q);
            assertThat(e.method()).isEqualTo(method);
            assertThat(e.prediction()).isEqualTo(model.predict(q));
            assertThat(e.sum()).as("query %s", q).isCloseTo(e.prediction(), within(1e-9 * Math.max(1, Math.abs(e.prediction()))));
            assertThat(e.contributions()).extracting(ForecastExplanation.Contribution::feature).containsExactlyElementsOf(features);
            more.accept(q, e);
        }
    }

    @Test
    void decomposedContributionsAddUpToLevelTimesTreesPlusBasketTerm() {
        SplittableRandom rnd = new SplittableRandom(12);
        int p = DecomposedGbtFeatures.NAMES.size();
        FlatTreeEnsemble trees = randomEnsemble(rnd, 60, p, 6);
        ProductBaseline b = baseline();
        DecomposedGbtDemandModel model = new DecomposedGbtDemandModel(null, trees, Map.of("SKU-1", b));
        double treesBase = new TreePathContributions(trees).base();
        assertAddsUp(model, rnd, 1200, "level-x-tree-path", DecomposedGbtFeatures.NAMES,
                (q, e) -> assertThat(e.base()).isCloseTo(b.level(q.date().toEpochDay()) * treesBase, within(1e-9)));
    }

    @Test
    void decomposedPromotionSplitIsCreditedTimesTheLevelAndTheBasketTermToTheBasket() {
        int p = DecomposedGbtFeatures.NAMES.size();
        int promo = DecomposedGbtFeatures.NAMES.indexOf("promo_flag");
        int basket = DecomposedGbtFeatures.NAMES.indexOf("avg_basket_value");
        // one split: promo_flag <= 0.5 -> ratio 0.9, else 1.5; base 0, shrinkage 1
        FlatTreeEnsemble trees = new FlatTreeEnsemble(p, 0, 1, new int[] {0}, new int[] {promo, -1, -1},
                new double[] {0.5, 0, 0}, new int[] {1, -1, -1}, new int[] {2, -1, -1}, new double[] {0, 0.9, 1.5});
        ProductBaseline b = baseline();
        DecomposedGbtDemandModel model = new DecomposedGbtDemandModel(null, trees, Map.of("SKU-1", b));
        DemandQuery q = new DemandQuery(LocalDate.of(2024, 3, 1), "SKU-1", 90, 1);
        double level = b.level(q.date().toEpochDay());
        ForecastExplanation e = model.explain(q);
        assertThat(e.base()).isCloseTo(level * 1.2, within(1e-9));
        assertThat(e.prediction()).isCloseTo(level * 1.5 + b.basketTerm(90), within(1e-9));
        for (int i = 0; i < p; i++) {
            double expected = i == promo ? level * 0.3 : i == basket ? b.basketTerm(90) : 0;
            assertThat(e.contributions().get(i).contribution()).as(DecomposedGbtFeatures.NAMES.get(i)).isCloseTo(expected, within(1e-9));
        }
        assertThat(b.basketTerm(90)).isNotZero();
    }

    /** A product rising 0.05 a day from 100, basket slope 0.4 around 80, a yearly season and a weekly pattern. */
    private static ProductBaseline baseline() {
        return new ProductBaseline(LocalDate.of(2023, 1, 1).toEpochDay(), 100, 0.05, 5, 80, 0.4, 0.1, -0.05,
                new double[] {0, 0.02, 0.01, 0, 0.05, 0.2, 0.15}, 0.3, 120);
    }

    /** Random pre-order trees over the features' plausible ranges. */
    private static FlatTreeEnsemble randomEnsemble(SplittableRandom rnd, int count, int p, int depth) {
        int[] roots = new int[count];
        Grow g = new Grow(rnd, p);
        for (int t = 0; t < count; t++) {
            roots[t] = g.grow(depth);
        }
        return new FlatTreeEnsemble(p, 50, 0.1, roots, Arrays.copyOf(g.feature, g.n), Arrays.copyOf(g.threshold, g.n),
                Arrays.copyOf(g.left, g.n), Arrays.copyOf(g.right, g.n), Arrays.copyOf(g.value, g.n));
    }

    private static final class Grow {
        final SplittableRandom rnd;
        final int p;
        int n;
        int[] feature = new int[1 << 14];
        double[] threshold = new double[1 << 14];
        int[] left = new int[1 << 14];
        int[] right = new int[1 << 14];
        double[] value = new double[1 << 14];

        Grow(SplittableRandom rnd, int p) {
            this.rnd = rnd;
            this.p = p;
        }

        int grow(int depth) {
            int id = n++;
            if (depth == 0 || rnd.nextInt(5) == 0) {
                feature[id] = -1;
                left[id] = -1;
                right[id] = -1;
                value[id] = rnd.nextDouble(-30, 30);
                return id;
            }
            feature[id] = rnd.nextInt(p);
            threshold[id] = switch (feature[id]) {
                case 0 -> rnd.nextDouble(1, 366);
                case 1 -> rnd.nextDouble(0, 6);
                case 2, 4 -> 0.5;
                case 3 -> rnd.nextDouble(20, 150);
                default -> rnd.nextDouble(70, 130);
            };
            left[id] = grow(depth - 1);
            right[id] = grow(depth - 1);
            return id;
        }
    }

    private static ModelManifest linearManifest() {
        List<FeatureSpec> specs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            specs.add(new FeatureSpec(DemandFeatures.NAMES.get(i), FeatureType.NUMERIC, null, null, MEDIANS[i], null, null));
        }
        return new ModelManifest(1, "demand-forecast", "t1", ModelManifest.Task.REGRESSION, null, "demand", specs, null,
                null, null, null, null, null, null);
    }
}
