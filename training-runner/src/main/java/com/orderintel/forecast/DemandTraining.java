package com.orderintel.forecast;

import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.FeatureProfiles;
import com.orderintel.dataset.Split;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.runner.ModelPackage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demand pipeline of the original experiment: features, seeded split, OLS per product, MAE and R². */
public final class DemandTraining {

    public static final String MODEL_NAME = "demand-forecast";

    public record Result(ModelPackage.Trained trained, LinearDemandModel model, RegressionMetrics metrics) { }

    public record GbtResult(ModelPackage.Trained trained, GbtDemandModel model, RegressionMetrics metrics) { }

    private record Packaged(ModelPackage.Trained trained, RegressionMetrics metrics) { }

    /** The original baseline: OLS per product. */
    public Result train(Datasets.Loaded<DemandRow> data, double testSize, long seed) {
        Split<DemandRow> split = Split.of(data.rows(), testSize, seed);
        Map<String, LinearDemandModel.Coefficients> coefficients = new OlsDemandTrainer().fit(split.train());
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("method", "QR");
        hyper.put("per_product", true);
        LinearDemandModel model = new LinearDemandModel(null, coefficients);
        Packaged p = finish(data, split, model, LinearDemandModel.FORMAT, "model.json",
                LinearDemandCodec.encode(coefficients), "ols", hyper, DemandFeatures.NAMES,
                split.train().stream().map(DemandRow::features).toArray(double[][]::new), testSize, seed);
        return new Result(p.trained(), model, p.metrics());
    }

    /** The stronger option: gradient-boosted trees pooled over products, with per-product lag/profile features. */
    public GbtResult trainGbt(Datasets.Loaded<DemandRow> data, double testSize, GbtDemandTrainer.Options options) {
        Split<DemandRow> split = Split.of(data.rows(), testSize, options.seed());
        GbtDemandTrainer.Fitted fitted = new GbtDemandTrainer().fit(split.train(), options);
        GbtDemandModel model = fitted.model();
        Packaged p = finish(data, split, model, GbtDemandModel.FORMAT, "model.gbt",
                GbtDemandCodec.encode(model.trees(), model.profiles()), "gbt", options.asHyperParameters(),
                GbtDemandFeatures.NAMES, fitted.x(), testSize, options.seed());
        return new GbtResult(p.trained(), model, p.metrics());
    }

    private Packaged finish(Datasets.Loaded<DemandRow> data, Split<DemandRow> split, DemandForecaster model, String format,
                          String file, byte[] artifact, String algorithm, Map<String, Object> hyper,
                          List<String> featureNames, double[][] trainX, double testSize, long seed) {
        RegressionMetrics metrics = null;
        Map<String, Double> metricMap = new LinkedHashMap<>();
        if (!split.test().isEmpty()) {
            metrics = evaluate(model, split.test());
            metricMap.putAll(metrics.asMap());
        }
        metricMap.put("train_rows", (double) split.train().size());
        metricMap.put("products", (double) model.products().size());
        Map<String, Object> allHyper = new LinkedHashMap<>(hyper);
        allHyper.put("test_size", testSize);
        allHyper.put("random_state", seed);
        ModelPackage.Trained trained = new ModelPackage.Trained(MODEL_NAME, ModelManifest.Task.REGRESSION, format, file,
                artifact, new ModelManifest.AlgorithmSpec(algorithm, allHyper), "demand",
                features(featureNames, trainX, split.train()), metricMap, data.ref(), null);
        return new Packaged(trained, metrics);
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

    /** Feature schema in model order, plus the product id as a categorical input with its known values. */
    static List<FeatureSpec> features(List<String> names, double[][] x, List<DemandRow> rows) {
        List<FeatureSpec> specs = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            final int col = f;
            specs.add(FeatureProfiles.numeric(names.get(f), type(names.get(f)),
                    java.util.Arrays.stream(x).mapToDouble(row -> row[col]).toArray()));
        }
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
