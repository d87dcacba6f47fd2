package com.orderintel.training.forecast;

import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.DecomposedGbtDemandModel;
import com.orderintel.forecast.DecomposedGbtFeatures;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.ProductBaseline;
import com.orderintel.registry.ModelCodecs;
import com.orderintel.registry.ModelManifest;
import com.orderintel.training.Split;
import com.orderintel.training.TestData;
import com.orderintel.training.TrainingProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.protos.TensorProto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The XGBoost demand model (XGBoost4J, {@code gbt-flat/v2}): exact export to the flat form, serving recomputes the
 * training matrix and target, quality against the noise floor on random and time-ordered splits.
 */
class XgbDemandModelTest {

    static final XgbDemandTrainer.Options OPTIONS = new XgbDemandTrainer.Options(100, 4, 0.2, 0.8, 20, 1, 2, 42);

    /** Bound on MAE / noise floor on the small test set, both splits (measured: random 1.068, time 1.085; the retired Smile GBT was at 1.26, 4.19). */
    static final double MAX_OVER_FLOOR = 1.12;

    static Datasets.Loaded<DemandRow> data;
    static DemandTraining.Result<DemandForecaster> random;

    @BeforeAll
    static void generate(@TempDir Path dir) {
        Path csv = dir.resolve("demand.csv");
        DataGenerator.demand(csv, 3000, 3, 7, true);
        data = Datasets.demand(csv);
        random = train(Split.Kind.RANDOM);
    }

    private static DemandTraining.Result<DemandForecaster> train(Split.Kind kind) {
        return new DemandTraining().train(data, new XgbDemandTrainer(), OPTIONS.asHyperParameters(),
                new DemandTraining.Settings(0.2, OPTIONS.seed(), kind), TrainingProgress.NONE, TestData.provenance());
    }

    @Test
    void flatTreesRouteDoublesExactlyAsXgboostRoutesFloats() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            float split = (float) (rnd.nextDouble(-1e4, 1e4) * (i % 7 == 0 ? 1e-30 : 1));
            double t = XgbDemandTrainer.lastBelow(split);
            assertThat((float) t < split).isTrue();
            assertThat((float) Math.nextUp(t) < split).isFalse();
            double x = rnd.nextBoolean() ? t + rnd.nextDouble(-1e-3, 1e-3) * Math.ulp(split) * 1e3 : split;
            assertThat(x <= t).as("x %s split %s", x, split).isEqualTo((float) x < split);
        }
    }

    @Test
    void flatFormPredictsWhatXgboostPredicts() throws Exception {
        XgbDemandTrainer.Fitted fitted = new XgbDemandTrainer().fit(data.rows().subList(0, 2400), OPTIONS);
        List<double[]> probes = new ArrayList<>(List.of(fitted.x()));
        for (DemandRow r : data.rows().subList(2400, 2700)) { // future dates, extreme baskets
            DemandQuery q = new DemandQuery(r.date().plusYears(1), r.productId(), r.avgBasketValue() * 3, r.promoFlag());
            probes.add(DecomposedGbtFeatures.of(q, fitted.baselines().get(q.productId())));
        }
        int width = DecomposedGbtFeatures.NAMES.size();
        float[] matrix = new float[probes.size() * width];
        for (int i = 0; i < probes.size(); i++) {
            for (int f = 0; f < width; f++) {
                matrix[i * width + f] = (float) probes.get(i)[f];
            }
        }
        DMatrix m = new DMatrix(matrix, probes.size(), width, Float.NaN);
        float[][] xgboost = fitted.booster().predict(m);
        m.dispose();
        for (int i = 0; i < probes.size(); i++) {
            // XGBoost sees the features as floats and sums the float leaves in float, the flat form in double; the
            // routing is exact (lastBelow), so only the sum's rounding differs.
            assertThat(fitted.trees().predict(probes.get(i))).as("probe %d", i)
                    .isCloseTo(xgboost[i][0], within(1e-4 * Math.max(1, Math.abs(xgboost[i][0]))));
        }
        assertThat(fitted.trees().trees()).isEqualTo(OPTIONS.trees());
    }

    @Test
    void servingRecomputesTheTrainingMatrixAndTarget() {
        List<DemandRow> rows = data.rows().subList(0, 2400);
        XgbDemandTrainer.Fitted fitted = new XgbDemandTrainer().fit(rows, OPTIONS);
        DecomposedGbtDemandModel serving = new DecomposedGbtDemandModel(null, fitted.trees(), fitted.baselines());
        for (int i = 0; i < rows.size(); i++) {
            DemandRow r = rows.get(i);
            DemandQuery q = DemandTraining.query(r);
            assertThat(serving.features(q)).as("row %d", i).isEqualTo(fitted.x()[i]);
            ProductBaseline b = serving.baselines().get(r.productId());
            // the trees' target is what serving turns back into demand: level * ratio + basket term
            assertThat(b.level(r.date().toEpochDay()) * fitted.target()[i] + b.basketTerm(r.avgBasketValue()))
                    .isCloseTo(r.demand(), within(1e-9 * Math.max(1, r.demand())));
            assertThat(serving.predict(q)).isEqualTo(b.level(r.date().toEpochDay()) * fitted.trees().predict(fitted.x()[i])
                    + b.basketTerm(r.avgBasketValue()));
        }
    }

    @Test
    void nearTheNoiseFloorOnRandomAndTimeOrderedSplits() {
        for (Split.Kind kind : Split.Kind.values()) {
            DemandTraining.Result<DemandForecaster> xgb = kind == Split.Kind.RANDOM ? random : train(kind);
            assertThat(xgb.metrics().n()).isEqualTo(600);
            var metrics = xgb.trained().metrics();
            assertThat(metrics.get("mae_floor")).isPositive().isLessThan(xgb.metrics().mae());
            assertThat(metrics.get("mae_over_floor")).isCloseTo(xgb.metrics().mae() / metrics.get("mae_floor"), within(1e-12));
            // 2,400 training rows of 3 products: the level line extrapolates the trend past the training dates
            assertThat(metrics.get("mae_over_floor")).as("%s split", kind).isLessThan(MAX_OVER_FLOOR);
            assertThat(xgb.trained().manifest().algorithm().name()).isEqualTo("xgboost");
            assertThat(xgb.trained().manifest().algorithm().hyperParameters()).containsEntry("split", kind.name().toLowerCase());
        }
    }

    @Test
    void timeSplitHoldsOutTheLatestDays() {
        Split<DemandRow> split = Split.of(data.rows(), 0.2, 1, Split.Kind.TIME, java.util.Comparator.comparing(DemandRow::date));
        var lastTrain = split.train().stream().map(DemandRow::date).max(java.util.Comparator.naturalOrder()).orElseThrow();
        assertThat(split.test()).hasSize(600).allSatisfy(r -> assertThat(r.date()).isAfterOrEqualTo(lastTrain));
    }

    @Test
    void artifactIsTheFlatServingFormAndTribuoRoundTripsOnTheSharedProtobuf() throws Exception {
        DemandTraining.Result<DemandForecaster> xgb = random;
        ModelManifest m = xgb.trained().manifest();
        assertThat(m.artifact().format()).isEqualTo(DecomposedGbtDemandModel.FORMAT);
        DecomposedGbtDemandModel decoded = (DecomposedGbtDemandModel) ModelCodecs.decode(m, xgb.trained().artifact());
        assertThat(decoded.baselines()).isEqualTo(((DecomposedGbtDemandModel) xgb.model()).baselines());
        for (DemandRow r : data.rows()) {
            DemandQuery q = DemandTraining.query(r);
            assertThat(decoded.predict(q)).isEqualTo(xgb.model().predict(q));
        }
        // Tribuo (its math, for OLS) serializes on the protobuf-java that S3Proxy needs (4.x; Tribuo was built on 3.25).
        DenseMatrix matrix = DenseMatrix.createDenseMatrix(new double[][] {{1, 2}, {3, 4.5}});
        assertThat(Tensor.deserialize(TensorProto.parseFrom(matrix.serialize().toByteArray()))).isEqualTo(matrix);
        assertThat(com.google.protobuf.RuntimeVersion.MAJOR).isEqualTo(4);
    }

    @Test
    void sameSeedSameArtifact() {
        assertThat(train(Split.Kind.RANDOM).trained().artifact()).isEqualTo(random.trained().artifact());
    }
}
