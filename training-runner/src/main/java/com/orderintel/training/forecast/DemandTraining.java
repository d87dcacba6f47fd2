package com.orderintel.training.forecast;

import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.DecomposedGbtCodec;
import com.orderintel.forecast.DecomposedGbtDemandModel;
import com.orderintel.forecast.DecomposedGbtFeatures;
import com.orderintel.forecast.DemandFeatures;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.GbtDemandCodec;
import com.orderintel.forecast.GbtDemandFeatures;
import com.orderintel.forecast.GbtDemandModel;
import com.orderintel.forecast.LinearDemandCodec;
import com.orderintel.forecast.LinearDemandModel;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.training.FeatureProfiles;
import com.orderintel.training.Provenance;
import com.orderintel.training.Split;
import com.orderintel.training.TrainedModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The demand pipeline of the original experiment: features, seeded split, OLS per product, MAE and R². */
public final class DemandTraining {

    public static final String MODEL_NAME = "demand-forecast";

    /**
     * The trained model, its held-out metrics (null when --test-size is 0) and the held-out rows (empty then), which
     * the report plots.
     */
    public record Result<M extends DemandForecaster>(TrainedModel<M> trained, RegressionMetrics metrics, List<DemandRow> heldOut) {
        public M model() {
            return trained.model();
        }
    }

    /**
     * What an algorithm contributes to the manifest: its name, hyper-parameters, artifact format and file, the
     * artifact bytes, and the feature profiles of its training matrix (possibly still being computed).
     */
    private record Fit(String algorithm, Map<String, Object> hyper, String format, String file, byte[] artifact,
                       CompletableFuture<List<FeatureSpec>> profiles) { }

    /** The original baseline: OLS per product. */
    public Result<LinearDemandModel> train(Datasets.Loaded<DemandRow> data, double testSize, long seed, Provenance provenance) {
        return train(data, testSize, seed, Split.Kind.RANDOM, provenance);
    }

    /** OLS per product with a random or time-ordered hold-out. */
    public Result<LinearDemandModel> train(Datasets.Loaded<DemandRow> data, double testSize, long seed, Split.Kind kind,
                                           Provenance provenance) {
        Split<DemandRow> split = Split.of(data.rows(), testSize, seed, kind, BY_DATE);
        double[][] trainX = new double[split.train().size()][]; // once, for the fit and the feature profiles
        for (int i = 0; i < trainX.length; i++) {
            trainX[i] = DemandFeatures.of(split.train().get(i));
        }
        // the profiles (a sort per column) need only the matrix: computed on the common pool while OLS fits
        CompletableFuture<List<FeatureSpec>> profiles =
                CompletableFuture.supplyAsync(() -> features(DemandFeatures.NAMES, trainX, split.train()));
        Map<String, LinearDemandModel.Coefficients> coefficients = new OlsDemandTrainer().fit(split.train(), trainX);
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("method", "normal equations (centred, scaled; Cholesky)");
        hyper.put("per_product", true);
        recordTimeSplit(hyper, kind);
        Fit fit = new Fit("ols", hyper, LinearDemandModel.FORMAT, "model.json", LinearDemandCodec.encode(coefficients),
                profiles);
        return finish(data, split, fit, testSize, seed, provenance, m -> new LinearDemandModel(m, coefficients));
    }

    /** The stronger option: gradient-boosted trees pooled over products, with per-product lag/profile features. */
    public Result<GbtDemandModel> trainGbt(Datasets.Loaded<DemandRow> data, double testSize, GbtDemandTrainer.Options options,
                                           Provenance provenance) {
        return trainGbt(data, testSize, Split.Kind.RANDOM, options, com.orderintel.training.TrainingProgress.NONE, provenance);
    }

    /** Smile's GBT with a random or time-ordered hold-out. */
    public Result<GbtDemandModel> trainGbt(Datasets.Loaded<DemandRow> data, double testSize, Split.Kind kind,
                                           GbtDemandTrainer.Options options, com.orderintel.training.TrainingProgress progress,
                                           Provenance provenance) {
        Split<DemandRow> split = Split.of(data.rows(), testSize, options.seed(), kind, BY_DATE);
        GbtDemandTrainer.Fitted fitted = new GbtDemandTrainer().fit(split.train(), options, progress);
        Map<String, Object> hyper = new LinkedHashMap<>(options.asHyperParameters());
        recordTimeSplit(hyper, kind);
        Fit fit = new Fit("gbt", hyper, GbtDemandModel.FORMAT, "model.gbt",
                GbtDemandCodec.encode(fitted.trees(), fitted.profiles()),
                CompletableFuture.supplyAsync(() -> features(GbtDemandFeatures.NAMES, fitted.x(), split.train())));
        return finish(data, split, fit, testSize, options.seed(), provenance,
                m -> new GbtDemandModel(m, fitted.trees(), fitted.profiles()));
    }

    /**
     * The strong option: per-product level and ratios, then XGBoost (through Tribuo) on demand relative to the
     * level, served from flat trees ({@code gbt-flat/v2}); {@code kind} chooses a random or a time-ordered hold-out.
     */
    public Result<DecomposedGbtDemandModel> trainXgb(Datasets.Loaded<DemandRow> data, double testSize, Split.Kind kind,
                                           XgbDemandTrainer.Options options, com.orderintel.training.TrainingProgress progress,
                                           Provenance provenance) {
        Split<DemandRow> split = Split.of(data.rows(), testSize, options.seed(), kind, BY_DATE);
        XgbDemandTrainer.Fitted fitted = new XgbDemandTrainer().fit(split.train(), options, progress);
        Map<String, Object> hyper = new LinkedHashMap<>(options.asHyperParameters());
        hyper.put("split", kind.name().toLowerCase(java.util.Locale.ROOT));
        Fit fit = new Fit("xgboost", hyper, DecomposedGbtDemandModel.FORMAT, "model.gbt",
                DecomposedGbtCodec.encode(fitted.trees(), fitted.baselines()),
                CompletableFuture.supplyAsync(() -> features(DecomposedGbtFeatures.NAMES, fitted.x(), split.train())));
        return finish(data, split, fit, testSize, options.seed(), provenance,
                m -> new DecomposedGbtDemandModel(m, fitted.trees(), fitted.baselines()));
    }

    /** A time-ordered hold-out is recorded so `retrain` repeats it; a manifest without "split" means random. */
    private static void recordTimeSplit(Map<String, Object> hyper, Split.Kind kind) {
        if (kind == Split.Kind.TIME) {
            hyper.put("split", "time");
        }
    }

    public static final java.util.Comparator<DemandRow> BY_DATE = java.util.Comparator.comparing(DemandRow::date);

    /**
     * Evaluates the model on the held-out rows, then builds the manifest and the model carrying it. The evaluation
     * runs on a model without a manifest (same coefficients or trees), so it overlaps the feature profiles, which the
     * manifest needs and which may still be computed on the common pool.
     */
    private static <M extends DemandForecaster> Result<M> finish(Datasets.Loaded<DemandRow> data, Split<DemandRow> split,
                                                                 Fit fit, double testSize, long seed, Provenance provenance,
                                                                 Function<ModelManifest, M> build) {
        RegressionMetrics metrics = null;
        Map<String, Double> metricMap = new LinkedHashMap<>();
        if (!split.test().isEmpty()) {
            metrics = evaluate(build.apply(null), split.test());
            metricMap.putAll(metrics.asMap());
            double floor = noiseFloor(split.test());
            if (!Double.isNaN(floor)) {
                metricMap.put("mae_floor", floor);
                metricMap.put("mae_over_floor", metrics.mae() / floor);
            }
        }
        Map<String, Object> hyper = new LinkedHashMap<>(fit.hyper());
        hyper.put("test_size", testSize);
        hyper.put("random_state", seed);
        ModelManifest manifest = provenance.manifest(MODEL_NAME, ModelManifest.Task.REGRESSION,
                new ModelManifest.AlgorithmSpec(fit.algorithm(), hyper), "demand",
                profiles(fit), data.ref(),
                new ModelManifest.ArtifactRef(fit.file(), fit.format(), Checksums.sha256(fit.artifact()), fit.artifact().length),
                targetProfile(split.train()));
        M model = build.apply(manifest);
        metricMap.put("train_rows", (double) split.train().size());
        metricMap.put("products", (double) model.products().size());
        return new Result<>(new TrainedModel<>(model, fit.artifact(), metricMap), metrics, split.test());
    }

    /** Manifest extension naming the training profile of the target: the service bounds reported actuals by it. */
    public static final String TARGET_PROFILE = "target_profile";

    /** {@code extensions.target_profile}: min and max of the training rows' demand. */
    static Map<String, Object> targetProfile(List<DemandRow> train) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("min", train.stream().mapToDouble(DemandRow::demand).min().orElse(0));
        profile.put("max", train.stream().mapToDouble(DemandRow::demand).max().orElse(0));
        return Map.of(TARGET_PROFILE, profile);
    }

    /** The fit's feature profiles; an error computing them surfaces as itself, not wrapped by the future. */
    private static List<FeatureSpec> profiles(Fit fit) {
        try {
            return fit.profiles().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    public static RegressionMetrics evaluate(DemandForecaster model, List<DemandRow> rows) {
        double[] actual = new double[rows.size()];
        double[] predicted = new double[rows.size()];
        for (int i = 0; i < actual.length; i++) {
            DemandRow r = rows.get(i);
            actual[i] = r.demand();
            predicted[i] = model.predict(new DemandQuery(r.date(), r.productId(), r.avgBasketValue(), r.promoFlag()));
        }
        return RegressionMetrics.of(actual, predicted);
    }

    /**
     * The MAE of a forecaster that knows each day's true mean (the generator's {@code expected_demand}) on these
     * rows: the noise no model can remove. NaN when some row lacks the true mean.
     */
    public static double noiseFloor(List<DemandRow> rows) {
        double sum = 0;
        for (DemandRow r : rows) {
            if (Double.isNaN(r.expectedDemand())) {
                return Double.NaN;
            }
            sum += Math.abs(r.demand() - r.expectedDemand());
        }
        return sum / rows.size();
    }

    /**
     * Feature schema in model order, plus the product id as a categorical input with its known values. The columns
     * are profiled in parallel (each is a copy and a sort of the training rows' values).
     */
    static List<FeatureSpec> features(List<String> names, double[][] x, List<DemandRow> rows) {
        List<FeatureSpec> specs = new ArrayList<>(java.util.stream.IntStream.range(0, names.size()).parallel().mapToObj(f -> {
            double[] column = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                column[i] = x[i][f];
            }
            return FeatureProfiles.numeric(names.get(f), type(names.get(f)), column);
        }).toList());
        List<String> products = rows.stream().map(DemandRow::productId).distinct().sorted().toList();
        specs.add(new FeatureSpec("product_id", FeatureType.CATEGORICAL, null, null, null, null, products));
        return specs;
    }

    private static FeatureType type(String name) {
        return switch (name) {
            case "day_of_year", "day_of_week" -> FeatureType.INTEGER;
            case "is_weekend", "promo_flag" -> FeatureType.BINARY;
            default -> FeatureType.NUMERIC;
        };
    }
}
