package com.orderintel.advisor.metrics;

import com.orderintel.dataset.FeatureProfiles;
import com.orderintel.registry.ModelManifest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FeatureWindowTest {

    private static final ToDoubleFunction<double[]> FIRST = v -> v[0];

    @Test
    void binsAgreeWithTheTrainersHistogram() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] training = rnd.doubles(5000).map(d -> d * 100).toArray();
        ModelManifest.FeatureSpec spec = FeatureProfiles.numeric("x", ModelManifest.FeatureType.NUMERIC, training);
        double[] edges = spec.histogram().edges().stream().mapToDouble(Double::doubleValue).toArray();
        for (int i = 0; i < 10_000; i++) {
            double v = rnd.nextDouble() * 140 - 20; // includes values outside the training range
            assertThat(FeatureWindow.binOf(edges, v)).as("value %s", v).isEqualTo(FeatureProfiles.bin(edges, v));
        }
        for (double e : edges) {
            assertThat(FeatureWindow.binOf(edges, e)).isEqualTo(FeatureProfiles.bin(edges, e));
        }
    }

    @Test
    void psiFollowsTheDefinition() {
        // PSI = sum (a - e) * ln(a / e); for e = (0.5, 0.5) and a = (0.25, 0.75):
        double expected = (0.25 - 0.5) * Math.log(0.25 / 0.5) + (0.75 - 0.5) * Math.log(0.75 / 0.5);
        assertThat(FeatureWindow.psi(new double[] {0.5, 0.5}, new long[] {25, 75}, 100)).isCloseTo(expected, within(1e-12));
        assertThat(FeatureWindow.psi(new double[] {0.5, 0.5}, new long[] {50, 50}, 100)).isZero();
    }

    @Test
    void sameDistributionIsStableAndAShiftIsDetectedWithinTheWindow() {
        SplittableRandom rnd = new SplittableRandom(5);
        double[] training = new double[20_000];
        for (int i = 0; i < training.length; i++) {
            training[i] = 1000 + 200 * gaussian(rnd);
        }
        ModelManifest manifest = manifest(FeatureProfiles.numeric("ms", ModelManifest.FeatureType.NUMERIC, training));
        FeatureWindow<double[]> window = new FeatureWindow<>(manifest, Map.of("ms", FIRST, "unused", FIRST), 2000);
        assertThat(window.featureNames()).containsExactly("ms");
        assertThat(window.psi("ms")).isNaN();

        for (int i = 0; i < 2000; i++) {
            window.record(new double[] {1000 + 200 * gaussian(rnd)});
        }
        assertThat(window.count()).isEqualTo(2000);
        double stable = window.psi("ms");
        assertThat(stable).isLessThan(0.02);

        // The next 2,000 requests are 1.5 sigma slower: they replace the whole window.
        for (int i = 0; i < 2000; i++) {
            window.record(new double[] {1300 + 200 * gaussian(rnd)});
        }
        assertThat(window.count()).isEqualTo(2000);
        assertThat(window.psi("ms")).isGreaterThan(0.25).isGreaterThan(stable * 10);
    }

    @Test
    void featuresWithoutHistogramAreNotTracked() {
        ModelManifest manifest = manifest(new ModelManifest.FeatureSpec("product_id", ModelManifest.FeatureType.CATEGORICAL,
                null, null, null, null, List.of("A")));
        FeatureWindow<double[]> window = new FeatureWindow<>(manifest, Map.of("product_id", FIRST), 10);
        assertThat(window.featureNames()).isEmpty();
        window.record(new double[] {1}); // no-op, no failure
        assertThat(window.psi("product_id")).isNaN();
    }

    private static ModelManifest manifest(ModelManifest.FeatureSpec feature) {
        return new ModelManifest(1, "m", "v", ModelManifest.Task.ANOMALY, null, null, List.of(feature), Map.of(), null,
                null, null, null, null, null);
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
