package com.orderintel.training.forecast;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.training.FeatureProfiles;
import com.orderintel.training.HyperParameters;
import com.orderintel.training.Provenance;
import com.orderintel.training.Split;
import com.orderintel.training.TrainedModel;
import com.orderintel.training.TrainingProgress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The demand pipeline of the Python experiments, for any {@link DemandTrainer}: seeded split, fit, held-out MAE and
 * R² (and the noise floor when the data has it), feature profiles, the manifest.
 */
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
     * How a run holds rows out and seeds its fit; recorded in the manifest's hyper-parameters ({@code split},
     * {@code test_size}, {@code random_state}) so {@code retrain} repeats them. A manifest without {@code split}
     * predates the field: random.
     */
    public record Settings(double testSize, long seed, Split.Kind split) {

        public static Settings fromHyperParameters(Map<String, Object> hyper) {
            Object split = hyper.getOrDefault("split", "random");
            Split.Kind kind = switch (String.valueOf(split)) {
                case "random" -> Split.Kind.RANDOM;
                case "time" -> Split.Kind.TIME;
                default -> throw new DataException("the manifest's hyper-parameter 'split' is '" + split + "', expected random or time");
            };
            return new Settings(HyperParameters.number(hyper, "test_size"), (long) HyperParameters.number(hyper, "random_state"), kind);
        }

        void record(Map<String, Object> hyper) {
            hyper.put("split", split.name().toLowerCase(java.util.Locale.ROOT));
            hyper.put("test_size", testSize);
            hyper.put("random_state", seed);
        }
    }

    /** The Python experiments' baseline, OLS per product, with a random hold-out. */
    public Result<DemandForecaster> train(Datasets.Loaded<DemandRow> data, double testSize, long seed, Provenance provenance) {
        DemandTrainer ols = DemandTrainer.named(OlsDemandTrainer.NAME);
        return train(data, ols, ols.hyperParameters(DemandTrainer.Flags.DEFAULTS), new Settings(testSize, seed, Split.Kind.RANDOM),
                TrainingProgress.NONE, provenance);
    }

    /**
     * Holds rows out as {@code settings} say, fits the rest with {@code trainer} and {@code hyper} (from the flags, or
     * from the manifest being re-trained), evaluates and builds the manifest.
     */
    public Result<DemandForecaster> train(Datasets.Loaded<DemandRow> data, DemandTrainer trainer, Map<String, Object> hyper,
                                          Settings settings, TrainingProgress progress, Provenance provenance) {
        Split<DemandRow> split = Split.of(data.rows(), settings.testSize(), settings.seed(), settings.split(), BY_DATE);
        DemandTrainer.DemandFit fit = trainer.fit(split.train(), hyper, settings.seed(), progress);
        Map<String, Object> recorded = new LinkedHashMap<>(hyper);
        settings.record(recorded);
        return finish(data, split, trainer.name(), recorded, fit, provenance);
    }

    /** The training rows' feature profiles, computed on the common pool (each column a copy and a sort). */
    static CompletableFuture<List<FeatureSpec>> profiles(List<String> names, double[][] x, List<DemandRow> train) {
        return CompletableFuture.supplyAsync(() -> features(names, x, train));
    }

    /** A training row as the query that serving would get for it. */
    static DemandQuery query(DemandRow r) {
        return new DemandQuery(r.date(), r.productId(), r.avgBasketValue(), r.promoFlag());
    }

    public static final java.util.Comparator<DemandRow> BY_DATE = java.util.Comparator.comparing(DemandRow::date);

    /**
     * Evaluates the model on the held-out rows, then builds the manifest and the model carrying it. The evaluation
     * runs on a model without a manifest (same coefficients or trees), so it overlaps the feature profiles, which the
     * manifest needs and which may still be computed on the common pool.
     */
    private static Result<DemandForecaster> finish(Datasets.Loaded<DemandRow> data, Split<DemandRow> split, String algorithm,
                                                   Map<String, Object> hyper, DemandTrainer.DemandFit fit, Provenance provenance) {
        Function<ModelManifest, ? extends DemandForecaster> build = fit.model();
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
        ModelManifest manifest = provenance.manifest(MODEL_NAME, ModelManifest.Task.REGRESSION,
                new ModelManifest.AlgorithmSpec(algorithm, hyper), "demand",
                profiles(fit), data.ref(),
                new ModelManifest.ArtifactRef(fit.file(), fit.format(), Checksums.sha256(fit.artifact()), fit.artifact().length),
                targetProfile(split.train()));
        DemandForecaster model = build.apply(manifest);
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
    private static List<FeatureSpec> profiles(DemandTrainer.DemandFit fit) {
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
            predicted[i] = model.predict(query(r));
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
