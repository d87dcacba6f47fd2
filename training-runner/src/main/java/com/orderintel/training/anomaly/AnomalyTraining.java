package com.orderintel.training.anomaly;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.IsolationForestCodec;
import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.OrderRow;
import com.orderintel.llm.NoteFeatureEncoding;
import com.orderintel.prompt.PromptRef;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.training.FeatureProfiles;
import com.orderintel.training.NoteInputs;
import com.orderintel.training.Provenance;
import com.orderintel.training.TrainedModel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** The anomaly pipeline of the Python experiments: fit on all rows, threshold at the contamination quantile, precision on label. */
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
        return train(data, null, options, provenance);
    }

    /**
     * As {@link #train(Datasets.Loaded, IsolationForestTrainer.Options, Provenance)}; with {@code notes} the model
     * also reads the orders' note features (joined by order id; an order without a note gets the neutral value) and
     * its manifest pins the prompt version that defined them ({@code extensions.prompts}) and declares the encoding
     * ({@code extensions.note_features}), which the service checks and computes at scoring time.
     */
    public Result train(Datasets.Loaded<OrderRow> data, NoteInputs notes, IsolationForestTrainer.Options options,
                        Provenance provenance) {
        List<OrderRow> rows = data.rows();
        List<OrderMetrics> inputs = rows.stream().map(r -> notes == null ? OrderMetrics.of(r) : notes.withNote(OrderMetrics.of(r))).toList();
        double[][] x = inputs.stream().map(o -> vector(o, notes)).toArray(double[][]::new);
        IsolationForestTrainer.Fitted fitted = new IsolationForestTrainer().fit(x, options);
        byte[] artifact = IsolationForestCodec.encode(fitted.flat(), fitted.offset());
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("n_estimators", options.trees());
        hyper.put("max_samples", fitted.flat().subsample());
        hyper.put("contamination", options.contamination());
        hyper.put("random_state", options.seed());
        hyper.put("offset", fitted.offset());
        Map<String, Object> extensions = null;
        if (notes != null) {
            int joined = (int) inputs.stream().filter(o -> o.note() != null).count();
            if (joined == 0) {
                throw new com.orderintel.dataset.DataException("no order in " + data.ref().uri() + " has a note row in "
                        + notes.ref().uri() + " (joined by order_id)");
            }
            extensions = new LinkedHashMap<>();
            extensions.put(PromptRef.EXTENSION_KEY, List.of(notes.prompt().toExtension()));
            extensions.put(NoteFeatureEncoding.EXTENSION_KEY, notes.extension(joined));
        }
        ModelManifest manifest = provenance.manifest(MODEL_NAME, ModelManifest.Task.ANOMALY,
                new ModelManifest.AlgorithmSpec("isolation-forest", hyper), null, features(x, notes), data.ref(),
                new ModelManifest.ArtifactRef(ARTIFACT_FILE, IsolationForestModel.FORMAT, Checksums.sha256(artifact), artifact.length),
                extensions);
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
        return detection(flagged(model, rows.stream().map(OrderMetrics::of).toList()), rows);
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
    private static boolean[] flagged(AnomalyDetector model, List<OrderMetrics> rows) {
        List<AnomalyResult> results = model.scoreBatch(rows);
        boolean[] flagged = new boolean[rows.size()];
        for (int i = 0; i < flagged.length; i++) {
            flagged[i] = results.get(i).anomalous();
        }
        return flagged;
    }

    /** The training vector: exactly what {@link IsolationForestModel#vector(OrderMetrics)} builds at scoring time. */
    private static double[] vector(OrderMetrics o, NoteInputs notes) {
        if (notes == null) {
            return o.toVector();
        }
        double[] x = new double[IsolationForestModel.FEATURES + notes.encoding().width()];
        System.arraycopy(o.toVector(), 0, x, 0, IsolationForestModel.FEATURES);
        notes.encoding().encode(o.note(), x, IsolationForestModel.FEATURES);
        return x;
    }

    static List<FeatureSpec> features(double[][] x) {
        return features(x, null);
    }

    static List<FeatureSpec> features(double[][] x, NoteInputs notes) {
        List<FeatureType> types = new java.util.ArrayList<>(List.of(FeatureType.NUMERIC, FeatureType.INTEGER, FeatureType.NUMERIC));
        List<String> names = new java.util.ArrayList<>(OrderMetrics.FEATURES);
        if (notes != null) {
            names.addAll(notes.encoding().names());
            notes.encoding().names().forEach(n -> types.add(FeatureType.INTEGER));
        }
        return IntStream.range(0, names.size()).mapToObj(f -> FeatureProfiles.numeric(names.get(f), types.get(f),
                Arrays.stream(x).mapToDouble(row -> row[f]).toArray())).toList();
    }
}
