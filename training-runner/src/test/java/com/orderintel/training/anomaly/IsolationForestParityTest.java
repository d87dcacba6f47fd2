package com.orderintel.training.anomaly;

import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.anomaly.OrderMetrics;

import com.orderintel.training.TestData;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.OrderRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Parity with the Python experiments' IsolationForest(n_estimators=200, contamination=0.1) on their sample orders. */
class IsolationForestParityTest {

    private final Datasets.Loaded<OrderRow> sample = Datasets.orders(TestData.sampleOrders());

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {42, 1, 2, 3, 4})
    void flagsExactlyTheTwoMostAnomalousOrdersLikeTheOriginal(long seed) {
        AnomalyTraining.Result r = new AnomalyTraining().train(sample, new IsolationForestTrainer.Options(200, 0.1, seed), TestData.provenance());
        List<String> flagged = sample.rows().stream()
                .filter(o -> r.model().score(OrderMetrics.of(o)).anomalous()).map(OrderRow::orderId).toList();
        assertThat(flagged).containsExactlyInAnyOrder("ORDER-006", "ORDER-012");
        assertThat(r.detection().precision()).isEqualTo(1.0);
        assertThat(r.detection().recall()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void inferenceExampleIsNormalWithScoreNearTheOriginals() {
        AnomalyTraining.Result r = new AnomalyTraining().train(sample, new IsolationForestTrainer.Options(200, 0.1, 42), TestData.provenance());
        AnomalyResult result = r.model().score(new OrderMetrics("X", 1800, 7, 0.32));
        assertThat(result.anomalous()).isFalse();
        // scikit-learn printed about +0.015 / 0.496; random trees differ between implementations.
        assertThat(result.score()).isBetween(0.0, 0.06);
        assertThat(result.approxProbability()).isCloseTo(1 / (1 + Math.exp(result.score())), within(1e-12));
        assertThat(result.approxProbability()).isBetween(0.485, 0.5);
    }

    @Test
    void flatScoringEqualsSmilesOwnScoringOfTheSameTrees() {
        double[][] x = sample.rows().stream().map(OrderRow::features).toArray(double[][]::new);
        IsolationForestTrainer.Fitted f = new IsolationForestTrainer().fit(x, new IsolationForestTrainer.Options(50, 0.1, 7));
        double[][] probes = {{1800, 7, 0.32}, {3200, 9, 0.37}, {1300, 2, 0.91}, {10_000, 50, 0.0}, {-5, 0, 2}};
        for (double[] p : probes) {
            assertThat(f.flat().anomalyScore(p)).isCloseTo(f.smile().score(p), within(1e-12));
        }
        for (double[] row : x) {
            assertThat(f.flat().anomalyScore(row)).isCloseTo(f.smile().score(row), within(1e-12));
        }
    }

    @Test
    void servingFastPathGivesTheSameDoublesAsTheGeneralFlatForest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path csv = dir.resolve("orders.csv");
        com.orderintel.dataset.DataGenerator.orders(csv, 5000, 0.05, 3);
        List<OrderRow> rows = Datasets.orders(csv).rows();
        IsolationForestModel model = new AnomalyTraining().train(Datasets.orders(csv), new IsolationForestTrainer.Options(200, 0.1, 42), TestData.provenance()).model();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < rows.size(); i++) {
            double[] x = rows.get(i).features();
            double[] probe = {rnd.nextDouble(-1000, 20_000), rnd.nextInt(0, 60), rnd.nextDouble(-0.5, 1.5)};
            for (double[] v : new double[][] {x, probe}) {
                assertThat(model.decision(v)).isEqualTo(-model.forest().anomalyScore(v) - model.offset());
            }
        }
        // Non-finite input takes the general path (same result as before the fast path existed).
        double[] inf = {Double.POSITIVE_INFINITY, 3, 0.5};
        assertThat(model.decision(inf)).isEqualTo(-model.forest().anomalyScore(inf) - model.offset());
    }

    @Test
    void batchScoringGivesExactlyThePerRecordDoublesOnManyRows(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path csv = dir.resolve("orders.csv");
        com.orderintel.dataset.DataGenerator.orders(csv, 20_000, 0.05, 9);
        IsolationForestModel model = new AnomalyTraining().train(Datasets.orders(csv), new IsolationForestTrainer.Options(200, 0.1, 42), TestData.provenance()).model();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(2);
        double[][] x = new double[150_001][]; // above the parallel threshold, not a whole number of blocks
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {rnd.nextDouble(-1000, 20_000), rnd.nextInt(0, 60), rnd.nextDouble(-0.5, 1.5)};
        }
        x[77] = new double[] {Double.NaN, 3, 0.5};
        double[] batch = model.decisions(x);
        for (int i = 0; i < x.length; i++) {
            assertThat(batch[i]).as("row %d", i).isEqualTo(model.decision(x[i]))
                    .isEqualTo(-model.forest().anomalyScore(x[i]) - model.offset());
        }
        List<OrderMetrics> orders = Datasets.orders(csv).rows().stream().map(OrderMetrics::of).toList();
        List<AnomalyResult> results = model.scoreBatch(orders);
        for (int i = 0; i < orders.size(); i++) {
            assertThat(results.get(i)).isEqualTo(model.score(orders.get(i)));
        }
    }

    @Test
    void sameSeedSameModel() {
        IsolationForestTrainer.Options o = new IsolationForestTrainer.Options(200, 0.1, 42);
        byte[] a = new AnomalyTraining().train(sample, o, TestData.provenance()).trained().artifact();
        byte[] b = new AnomalyTraining().train(sample, o, TestData.provenance()).trained().artifact();
        assertThat(a).isEqualTo(b);
    }
}
