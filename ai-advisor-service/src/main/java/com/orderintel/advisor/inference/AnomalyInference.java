package com.orderintel.advisor.inference;

import com.orderintel.advisor.anomaly.AnomalyRequest;
import com.orderintel.advisor.anomaly.AnomalyResponse;
import com.orderintel.advisor.anomaly.AnomalyService;
import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;
import com.orderintel.advisor.inference.OipPayloads.TensorMetadata;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.anomaly.AnomalyExplanation;
import com.orderintel.anomaly.OrderMetrics;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.orderintel.advisor.inference.InferenceAdapter.tensor;

/**
 * order-anomaly over OIP: three numeric inputs (order_id optional, BYTES), or one [N, 3] tensor in
 * {@link OrderMetrics#FEATURES} order; same rules as REST.
 */
@Component
class AnomalyInference extends TaskInference<AnomalyRequest, AnomalyResponse> {

    private static final List<TensorMetadata> INPUTS = OrderMetrics.FEATURES.stream().map(f -> tensor(f, "FP64")).toList();
    private static final List<TensorMetadata> OUTPUTS = List.of(tensor("is_anomaly", "BOOL"),
            tensor("anomaly_score", "FP64"), tensor("approx_probability", "FP64"), tensor("prediction_id", "BYTES"));
    private static final Set<String> NAMES = Stream.concat(OrderMetrics.FEATURES.stream(), Stream.of("order_id"))
            .collect(Collectors.toUnmodifiableSet());

    AnomalyInference(AnomalyService service) {
        super(service, AnomalyResponse::model, ModelSlot.ANOMALY, INPUTS, OUTPUTS, NAMES,
                "attribution_<feature> (FP64: the feature's effect on the mean isolation path length, negative = made "
                        + "the order easier to isolate), training_percentile_<feature> (FP64, 0-100) for each of "
                        + String.join(",", OrderMetrics.FEATURES) + ", and explanation (BYTES: the summary in words)");
    }

    /** KServe/MLServer scikit-learn clients send the features as one [N, 3] tensor in the model's order. */
    @Override
    public List<String> matrixColumns() {
        return OrderMetrics.FEATURES;
    }

    @Override
    List<AnomalyRequest> requests(Tensors t) {
        double[][] columns = OrderMetrics.FEATURES.stream().map(t::numbers).toArray(double[][]::new);
        String[] orderIds = t.has("order_id") ? t.strings("order_id") : null;
        List<AnomalyRequest> requests = new ArrayList<>(t.rows());
        for (int i = 0; i < t.rows(); i++) {
            requests.add(new AnomalyRequest(orderIds == null ? null : orderIds[i], columns[0][i], columns[1][i], columns[2][i]));
        }
        return requests;
    }

    @Override
    List<ResponseOutput> outputs(List<AnomalyResponse> results) {
        int n = results.size();
        boolean[] flags = new boolean[n];
        double[] scores = new double[n];
        double[] probabilities = new double[n];
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AnomalyResponse r = results.get(i);
            flags[i] = r.isAnomaly();
            scores[i] = r.anomalyScore();
            probabilities[i] = r.approxProbability();
            ids.add(r.predictionId());
        }
        return List.of(Tensors.output("is_anomaly", "BOOL", n, flags),
                Tensors.output("anomaly_score", "FP64", n, scores),
                Tensors.output("approx_probability", "FP64", n, probabilities),
                Tensors.output("prediction_id", "BYTES", n, ids));
    }

    /** One FP64 tensor per feature for the attributions and for the percentiles (NaN: no histogram), one BYTES summary. */
    @Override
    List<ResponseOutput> explanations(List<AnomalyResponse> results) {
        int n = results.size();
        List<ResponseOutput> out = new ArrayList<>();
        for (String feature : OrderMetrics.FEATURES) {
            double[] effect = new double[n];
            double[] percentile = new double[n];
            for (int i = 0; i < n; i++) {
                AnomalyExplanation.FeatureAttribution a = results.get(i).explanation().features().stream()
                        .filter(f -> f.feature().equals(feature)).findFirst().orElseThrow();
                effect[i] = a.pathEffect();
                percentile[i] = a.trainingPercentile() == null ? Double.NaN : a.trainingPercentile();
            }
            out.add(Tensors.output("attribution_" + feature, "FP64", n, effect));
            out.add(Tensors.output("training_percentile_" + feature, "FP64", n, percentile));
        }
        out.add(Tensors.output("explanation", "BYTES", n, results.stream().map(r -> r.explanation().summary()).toList()));
        return out;
    }
}
