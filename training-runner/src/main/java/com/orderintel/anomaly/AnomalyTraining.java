package com.orderintel.anomaly;

import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.FeatureProfiles;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.runner.ModelPackage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The anomaly pipeline of the original: fit on all rows, threshold at the contamination quantile, precision on label. */
public final class AnomalyTraining {

    public static final String MODEL_NAME = "order-anomaly";
    public static final List<String> FEATURES = List.of("avg_processing_ms", "item_count", "payment_score");

    public record Result(ModelPackage.Trained trained, IsolationForestModel model, DetectionMetrics metrics) { }

    public Result train(Datasets.Loaded<OrderRow> data, IsolationForestTrainer.Options options) {
        List<OrderRow> rows = data.rows();
        double[][] x = rows.stream().map(OrderRow::features).toArray(double[][]::new);
        IsolationForestTrainer.Fitted fitted = new IsolationForestTrainer().fit(x, options);
        IsolationForestModel model = new IsolationForestModel(null, fitted.flat(), fitted.offset());
        Map<String, Double> metrics = new LinkedHashMap<>();
        DetectionMetrics detection = evaluate(model, rows);
        if (detection != null) {
            metrics.putAll(detection.asMap());
        } else {
            metrics.put("anomaly_rate", flaggedRate(model, rows));
            metrics.put("rows", (double) rows.size());
        }
        metrics.put("threshold_offset", fitted.offset());
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("n_estimators", options.trees());
        hyper.put("max_samples", fitted.flat().subsample());
        hyper.put("contamination", options.contamination());
        hyper.put("random_state", options.seed());
        hyper.put("offset", fitted.offset());
        ModelPackage.Trained trained = new ModelPackage.Trained(MODEL_NAME, ModelManifest.Task.ANOMALY,
                IsolationForestModel.FORMAT, "model.iforest", IsolationForestCodec.encode(fitted.flat(), fitted.offset()),
                new ModelManifest.AlgorithmSpec("isolation-forest", hyper), null, features(x), metrics, data.ref(), null);
        return new Result(trained, model, detection);
    }

    /** Precision/recall/F1 when every row has a label, else null. */
    public static DetectionMetrics evaluate(AnomalyDetector model, List<OrderRow> rows) {
        if (rows.stream().anyMatch(r -> r.label() == null)) {
            return null;
        }
        boolean[] flagged = new boolean[rows.size()];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < flagged.length; i++) {
            flagged[i] = model.score(rows.get(i).metrics()).anomalous();
            labels[i] = rows.get(i).label();
        }
        return DetectionMetrics.of(flagged, labels);
    }

    static double flaggedRate(AnomalyDetector model, List<OrderRow> rows) {
        return rows.stream().filter(r -> model.score(r.metrics()).anomalous()).count() / (double) rows.size();
    }

    static List<FeatureSpec> features(double[][] x) {
        FeatureType[] types = {FeatureType.NUMERIC, FeatureType.INTEGER, FeatureType.NUMERIC};
        return java.util.stream.IntStream.range(0, FEATURES.size()).mapToObj(f -> FeatureProfiles.numeric(FEATURES.get(f),
                types[f], java.util.Arrays.stream(x).mapToDouble(row -> row[f]).toArray())).toList();
    }
}
