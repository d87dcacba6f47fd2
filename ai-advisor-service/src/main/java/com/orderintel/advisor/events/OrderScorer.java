package com.orderintel.advisor.events;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelHolder;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.registry.ModelManifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an event into the anomaly model's features: values the event carries win; {@code item_count} falls
 * back to the order quantity; anything else is imputed with the training median from the model's manifest.
 */
final class OrderScorer {

    record Scored(LoadedModel model, AnomalyResult result, Map<String, Double> features, List<String> imputed) { }

    private final ModelHolder models;

    OrderScorer(ModelHolder models) {
        this.models = models;
    }

    /** Empty when no anomaly model is loaded yet (a transient condition: the caller retries). */
    Optional<Scored> score(OrderCreatedEvent event) {
        Optional<LoadedModel> loaded = models.snapshot().get(ModelSlot.ANOMALY);
        if (loaded.isEmpty()) {
            return Optional.empty();
        }
        LoadedModel model = loaded.get();
        ModelManifest manifest = model.manifest();
        List<String> imputed = new ArrayList<>();
        double ms = valueOrMedian(event.avgProcessingMs(), "avg_processing_ms", manifest, imputed);
        Double items = event.itemCount() != null ? event.itemCount()
                : event.quantity() != null ? Double.valueOf(event.quantity()) : null;
        double itemCount = valueOrMedian(items, "item_count", manifest, imputed);
        double pay = valueOrMedian(event.paymentScore(), "payment_score", manifest, imputed);
        AnomalyResult result = ((AnomalyDetector) model.model()).score(new OrderMetrics(event.id(), ms, itemCount, pay));
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("avg_processing_ms", ms);
        features.put("item_count", itemCount);
        features.put("payment_score", pay);
        return Optional.of(new Scored(model, result, features, List.copyOf(imputed)));
    }

    private static double valueOrMedian(Double value, String feature, ModelManifest manifest, List<String> imputed) {
        if (value != null && Double.isFinite(value)) {
            return value;
        }
        ModelManifest.FeatureSpec spec = manifest.feature(feature);
        if (spec == null || spec.median() == null) {
            throw new PoisonMessageException("feature '" + feature + "' is missing from the event and model "
                    + manifest.name() + " " + manifest.version() + " has no training median to impute it");
        }
        imputed.add(feature);
        return spec.median();
    }
}
