package com.orderintel.advisor.metrics;

import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.ModelManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FeatureWindowTest {

    private static final ToDoubleFunction<double[]> FIRST = v -> v[0];

    @Test
    void psiFollowsTheDefinition() {
        // PSI = sum (a - e) * ln(a / e); for e = (0.5, 0.5) and a = (0.25, 0.75):
        double expected = (0.25 - 0.5) * Math.log(0.25 / 0.5) + (0.75 - 0.5) * Math.log(0.75 / 0.5);
        assertThat(FeatureWindow.psi(new double[] {0.5, 0.5}, new long[] {25, 75}, 100)).isCloseTo(expected, within(1e-12));
        assertThat(FeatureWindow.psi(new double[] {0.5, 0.5}, new long[] {50, 50}, 100)).isZero();
    }

    @Test
    void sameDistributionIsStableAndAShiftIsDetectedWithinTheWindow(@TempDir Path tmp) {
        // The training histogram of a real trained model, and the orders it was trained on (same generator seed).
        ModelManifest manifest = TrainedModels.manifest(TrainedModels.fixture("anomaly-v1"));
        DataGenerator.orders(tmp.resolve("orders.csv"), 4000, 0.05, 11);
        double[] training = Datasets.orders(tmp.resolve("orders.csv")).rows().stream()
                .mapToDouble(OrderRow::avgProcessingMs).toArray();
        FeatureWindow<double[]> window = new FeatureWindow<>(manifest, Map.of("avg_processing_ms", FIRST, "unused", FIRST), 2000);
        assertThat(window.featureNames()).containsExactly("avg_processing_ms");
        assertThat(window.psi("avg_processing_ms")).isNaN();

        for (int i = 0; i < 2000; i++) {
            window.record(new double[] {training[i]});
        }
        assertThat(window.count()).isEqualTo(2000);
        double stable = window.psi("avg_processing_ms");
        assertThat(stable).isLessThan(0.02);

        // The next 2,000 orders are processed 30 % slower: they replace the whole window.
        for (int i = 2000; i < 4000; i++) {
            window.record(new double[] {training[i] * 1.3});
        }
        assertThat(window.count()).isEqualTo(2000);
        assertThat(window.psi("avg_processing_ms")).isGreaterThan(0.25).isGreaterThan(stable * 10);
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
}
