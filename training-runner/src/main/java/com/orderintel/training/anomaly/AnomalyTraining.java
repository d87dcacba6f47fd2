package com.orderintel.training.anomaly;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.IsolationForestCodec;
import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.training.FeatureProfiles;
import com.orderintel.training.Provenance;
import com.orderintel.training.TrainedModel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** The anomaly pipeline of the original: fit on all rows, threshold at the contamination quantile, precision on label. */
public final class AnomalyTraining {

    public static final String MODEL_NAME = "order-anomaly";
    static final String ARTIFACT_FILE = "model.iforest";

    /** The trained model and, when every row is labelled, its detection metrics (else null). */
    public record Result(TrainedModel<IsolationForestModel> trained, DetectionMetrics detection) {
        public IsolationForestModel model() {
            return trained.model();
        }
    }

    public Result train(Datasets.Loaded<OrderRow> data, IsolationForestTrainer.Options options, Provenance provenance) {
        List<OrderRow> rows = data.rows();
        double[][] x = rows.stream().map(OrderRow::features).toArray(double[][]::new);
        IsolationForestTrainer.Fitted fitted = new IsolationForestTrainer().fit(x, options);
        byte[] artifact = IsolationForestCodec.encode(fitted.flat(), fitted.offset());
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("n_estimators", options.trees());
        hyper.put("max_samples", fitted.flat().subsample());
        hyper.put("contamination", options.contamination());
        hyper.put("random_state", options.seed());
        hyper.put("offset", fitted.offset());
        ModelManifest manifest = provenance.manifest(MODEL_NAME, ModelManifest.Task.ANOMALY,
                new ModelManifest.AlgorithmSpec("isolation-forest", hyper), null, features(x), data.ref(),
                new ModelManifest.ArtifactRef(ARTIFACT_FILE, IsolationForestModel.FORMAT, Checksums.sha256(artifact), artifact.length),
                null);
        IsolationForestModel model = new IsolationForestModel(manifest, fitted.flat(), fitted.offset());

        Map<String, Double> metrics = new LinkedHashMap<>();
        // the training rows were scored to place the threshold: the same decisions the model gives, not scored again
        boolean[] flagged = new boolean[rows.size()];
        for (int i = 0; i < flagged.length; i++) {
            flagged[i] = fitted.trainingDecisions()[i] < 0; // AnomalyResult.ofScore's rule: a negative decision is anomalous
        }
        DetectionMetrics detection = detection(flagged, rows);
        if (detection != null) {
            metrics.putAll(detection.asMap());
        } else {
            metrics.put("anomaly_rate", rate(flagged));
            metrics.put("rows", (double) rows.size());
        }
        metrics.put("threshold_offset", fitted.offset());
        return new Result(new TrainedModel<>(model, artifact, metrics), detection);
    }

    /** Precision/recall/F1 when every row has a label, else null. */
    public static DetectionMetrics evaluate(AnomalyDetector model, List<OrderRow> rows) {
        if (rows.stream().anyMatch(r -> r.label() == null)) {
            return null;
        }
        return detection(flagged(model, rows), rows);
    }

    private static DetectionMetrics detection(boolean[] flagged, List<OrderRow> rows) {
        if (rows.stream().anyMatch(r -> r.label() == null)) {
            return null;
        }
        int[] labels = new int[rows.size()];
        for (int i = 0; i < flagged.length; i++) {
            labels[i] = rows.get(i).label();
        }
        return DetectionMetrics.of(flagged, labels);
    }

    private static double rate(boolean[] flagged) {
        int count = 0;
        for (boolean f : flagged) {
            count += f ? 1 : 0;
        }
        return count / (double) flagged.length;
    }

    /** Whether each row is flagged, scored as one batch (the Isolation Forest scores it tree-major). */
    private static boolean[] flagged(AnomalyDetector model, List<OrderRow> rows) {
        List<AnomalyResult> results = model.scoreBatch(rows.stream().map(OrderRow::metrics).toList());
        boolean[] flagged = new boolean[rows.size()];
        for (int i = 0; i < flagged.length; i++) {
            flagged[i] = results.get(i).anomalous();
        }
        return flagged;
    }

    static List<FeatureSpec> features(double[][] x) {
        FeatureType[] types = {FeatureType.NUMERIC, FeatureType.INTEGER, FeatureType.NUMERIC};
        List<String> names = OrderMetrics.FEATURES;
        return IntStream.range(0, names.size()).mapToObj(f -> FeatureProfiles.numeric(names.get(f), types[f],
                Arrays.stream(x).mapToDouble(row -> row[f]).toArray())).toList();
    }
}
