package com.orderintel.training;

import com.orderintel.dataset.Datasets;
import com.orderintel.llm.NoteFeatureEncoding;
import com.orderintel.llm.NoteFeatures;
import com.orderintel.prompt.PromptRef;
import com.orderintel.registry.ModelManifest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Note features to train an anomaly model with: the encoding, each order's features by order id (an order not in
 * the map had no note and gets the neutral value), the prompt version that defined them, and where they came from.
 *
 * @param ignored rows left out (counted by what made them) because the service could not compute them the same way
 */
public record NoteInputs(NoteFeatureEncoding encoding, Map<String, NoteFeatures> byOrder, PromptRef prompt,
                         Datasets.Source ref, Map<String, Integer> ignored) {

    public NoteInputs {
        byOrder = Map.copyOf(byOrder);
        ignored = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(ignored));
    }

    /** The order with its note features (none when it had no note row). */
    public com.orderintel.anomaly.OrderMetrics withNote(com.orderintel.anomaly.OrderMetrics o) {
        return new com.orderintel.anomaly.OrderMetrics(o.orderId(), o.avgProcessingMs(), o.itemCount(), o.paymentScore(),
                byOrder.get(o.orderId()));
    }

    /** The model as the report sees it: each order scored with its note features looked up by order id. */
    public com.orderintel.anomaly.AnomalyDetector joining(com.orderintel.anomaly.AnomalyDetector model) {
        return new com.orderintel.anomaly.AnomalyDetector() {
            @Override
            public com.orderintel.anomaly.AnomalyResult score(com.orderintel.anomaly.OrderMetrics order) {
                return model.score(withNote(order));
            }

            @Override
            public ModelManifest manifest() {
                return model.manifest();
            }
        };
    }

    /** {@code extensions.note_features} of the model's manifest: the encoding plus the data that made the features. */
    public Map<String, Object> extension(int joined) {
        Map<String, Object> m = new LinkedHashMap<>(encoding.toExtension());
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("uri", ref.uri());
        dataset.put("sha256", ref.sha256());
        dataset.put("rows", ref.rows());
        m.put("dataset", dataset);
        m.put("orders_with_note", joined);
        if (!ignored.isEmpty()) {
            m.put("ignored_rows", ignored);
        }
        return m;
    }
}
