package com.orderintel.training;

import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ServableModel;

import java.util.Map;

/**
 * What a trainer returns: the model in its serving form, born with its manifest (provenance, features, dataset,
 * artifact checksum), the artifact bytes that decode to it, and its evaluation on held-out data.
 */
public record TrainedModel<M extends ServableModel>(M model, byte[] artifact, Map<String, Double> metrics) {

    public TrainedModel {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics)); // keeps the evaluation order
    }

    /** The manifest as published: the model's own plus the evaluation metrics. */
    public ModelManifest manifest() {
        return model.manifest().withMetrics(metrics);
    }
}
