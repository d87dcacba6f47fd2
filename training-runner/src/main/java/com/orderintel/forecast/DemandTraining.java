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

    public Result train(Datasets.Loaded<DemandRow> data, double testSize, long seed) {
        Split<DemandRow> split = Split.of(data.rows(), testSize, seed);
        Map<String, LinearDemandModel.Coefficients> coefficients = new OlsDemandTrainer().fit(split.train());
        LinearDemandModel model = new LinearDemandModel(null, coefficients);
        RegressionMetrics metrics = null;
        Map<String, Double> metricMap = new LinkedHashMap<>();
        if (!split.test().isEmpty()) {
            metrics = evaluate(model, split.test());
            metricMap.putAll(metrics.asMap());
        }
        metricMap.put("train_rows", (double) split.train().size());
        metricMap.put("products", (double) coefficients.size());
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("method", "QR");
        hyper.put("per_product", true);
        hyper.put("test_size", testSize);
        hyper.put("random_state", seed);
        ModelPackage.Trained trained = new ModelPackage.Trained(MODEL_NAME, ModelManifest.Task.REGRESSION,
                LinearDemandModel.FORMAT, "model.json", LinearDemandCodec.encode(coefficients),
                new ModelManifest.AlgorithmSpec("ols", hyper), "demand", features(split.train()), metricMap, data.ref(), null);
        return new Result(trained, model, metrics);
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
    static List<FeatureSpec> features(List<DemandRow> rows) {
        FeatureType[] types = {FeatureType.INTEGER, FeatureType.INTEGER, FeatureType.BINARY, FeatureType.NUMERIC, FeatureType.BINARY};
        double[][] columns = new double[DemandFeatures.NAMES.size()][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            double[] x = rows.get(i).features();
            for (int f = 0; f < x.length; f++) {
                columns[f][i] = x[f];
            }
        }
        List<FeatureSpec> specs = new ArrayList<>();
        for (int f = 0; f < columns.length; f++) {
            specs.add(FeatureProfiles.numeric(DemandFeatures.NAMES.get(f), types[f], columns[f]));
        }
        List<String> products = rows.stream().map(DemandRow::productId).distinct().sorted().toList();
        specs.add(new FeatureSpec("product_id", FeatureType.CATEGORICAL, null, null, null, null, products));
        return specs;
    }
}
