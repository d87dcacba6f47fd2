package com.orderintel.advisor.inference;

import com.orderintel.advisor.anomaly.AnomalyRequest;
import com.orderintel.advisor.anomaly.AnomalyResponse;
import com.orderintel.advisor.anomaly.AnomalyService;
import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;
import com.orderintel.advisor.inference.OipPayloads.TensorMetadata;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.serving.Source;
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
class AnomalyInference implements InferenceAdapter {

    private static final List<TensorMetadata> INPUTS = OrderMetrics.FEATURES.stream().map(f -> tensor(f, "FP64")).toList();
    private static final List<TensorMetadata> OUTPUTS = List.of(tensor("is_anomaly", "BOOL"),
            tensor("anomaly_score", "FP64"), tensor("approx_probability", "FP64"), tensor("prediction_id", "BYTES"));
    private static final Set<String> NAMES = Stream.concat(OrderMetrics.FEATURES.stream(), Stream.of("order_id"))
            .collect(Collectors.toUnmodifiableSet());

    private final AnomalyService service;

    AnomalyInference(AnomalyService service) {
        this.service = service;
    }

    @Override
    public ModelSlot<?> slot() {
        return ModelSlot.ANOMALY;
    }

    @Override
    public List<TensorMetadata> inputs() {
        return INPUTS;
    }

    @Override
    public List<TensorMetadata> outputs() {
        return OUTPUTS;
    }

    @Override
    public Set<String> acceptedInputs() {
        return NAMES;
    }

    /** KServe/MLServer scikit-learn clients send the features as one [N, 3] tensor in the model's order. */
    @Override
    public List<String> matrixColumns() {
        return OrderMetrics.FEATURES;
    }

    @Override
    public Inference infer(Tensors t) {
        double[][] columns = OrderMetrics.FEATURES.stream().map(t::numbers).toArray(double[][]::new);
        String[] orderIds = t.has("order_id") ? t.strings("order_id") : null;
        List<AnomalyRequest> requests = new ArrayList<>(t.rows());
        for (int i = 0; i < t.rows(); i++) {
            requests.add(new AnomalyRequest(orderIds == null ? null : orderIds[i], columns[0][i], columns[1][i], columns[2][i]));
        }
        List<AnomalyResponse> results = service.scoreBatch(Source.OIP, requests);
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
        return new Inference(List.of(Tensors.output("is_anomaly", "BOOL", n, flags),
                Tensors.output("anomaly_score", "FP64", n, scores),
                Tensors.output("approx_probability", "FP64", n, probabilities),
                Tensors.output("prediction_id", "BYTES", n, ids)), results.getFirst().model());
    }
}
