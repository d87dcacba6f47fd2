package com.orderintel.advisor.events;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.serving.Scored;
import com.orderintel.advisor.serving.ServingPipeline;
import com.orderintel.advisor.serving.ServingTask;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyExplanation;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.llm.NoteFeatureEncoding;
import com.orderintel.registry.ModelManifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event entry point of the serving pipeline: turns an {@code order.created} event into the anomaly model's
 * features against the model that will score it. Values the event carries win; {@code item_count} falls back to
 * the order quantity; anything else is imputed with the training median from that model's manifest.
 */
final class OrderScorer {

    /** The pipeline's result for one event and which features were imputed. */
    record EventScore(Scored<OrderMetrics, AnomalyResult> scored, List<String> imputed) {
        AnomalyResult result() {
            return scored.results().getFirst();
        }

        String predictionId() {
            return scored.predictionIds().getFirst();
        }

        /** The features as scored, by name (built for an alert only, not for every event). */
        Map<String, Double> features() {
            OrderMetrics order = scored.inputs().getFirst();
            Map<String, Double> features = new LinkedHashMap<>();
            for (int i = 0; i < OrderMetrics.FEATURES.size(); i++) {
                features.put(OrderMetrics.FEATURES.get(i), order.feature(i));
            }
            return features;
        }
    }

    private final ServingPipeline pipeline;
    /** The training medians of the model that scored last, by feature index (looked up once per model, not per event). */
    private volatile Medians medians;

    /** A model's training medians in {@link OrderMetrics#FEATURES} order, null where its manifest has none. */
    private record Medians(LoadedModel<AnomalyDetector> model, Double[] values) {
        static Medians of(LoadedModel<AnomalyDetector> model) {
            Double[] values = new Double[OrderMetrics.FEATURES.size()];
            for (int i = 0; i < values.length; i++) {
                ModelManifest.FeatureSpec spec = model.manifest().feature(OrderMetrics.FEATURES.get(i));
                values[i] = spec == null ? null : spec.median();
            }
            return new Medians(model, values);
        }
    }

    OrderScorer(ServingPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Scores the event; throws {@link com.orderintel.advisor.web.ModelUnavailableException} when no anomaly model
     * is loaded yet (transient: the caller retries) and {@link InvalidInputException} (counted as invalid input)
     * when a feature can be neither read nor imputed.
     */
    EventScore score(OrderCreatedEvent event) {
        List<String> imputed = new ArrayList<>();
        Scored<OrderMetrics, AnomalyResult> scored = pipeline.scoreOrder(Source.EVENT, event.id(),
                model -> new ServingPipeline.PreparedOrder(features(event, model, mediansOf(model), imputed,
                        pipeline.anomalyReadsNotes()), List.copyOf(imputed)));
        return new EventScore(scored, List.copyOf(imputed));
    }

    /** Why the event's order scored as it did, by the model version that scored it (for the alert). */
    AnomalyExplanation explain(EventScore score) {
        return pipeline.explain(ServingTask.ANOMALY, score.scored()).getFirst();
    }

    private Double[] mediansOf(LoadedModel<AnomalyDetector> model) {
        Medians m = medians;
        if (m == null || m.model() != model) {
            m = Medians.of(model);
            medians = m;
        }
        return m.values();
    }

    private static OrderMetrics features(OrderCreatedEvent event, LoadedModel<AnomalyDetector> model, Double[] medians,
                                         List<String> imputed, boolean noteFeatures) {
        Double items = event.itemCount() != null ? event.itemCount()
                : event.quantity() != null ? Double.valueOf(event.quantity()) : null;
        Double[] given = {event.avgProcessingMs(), items, event.paymentScore()};
        double[] x = new double[given.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = valueOrMedian(given[i], OrderMetrics.FEATURES.get(i), medians[i], model.manifest(), imputed);
        }
        return new OrderMetrics(event.id(), x[0], x[1], x[2], noteFeatures ? NoteFeatureEncoding.offline(event.note()) : null);
    }

    private static double valueOrMedian(Double value, String feature, Double median, ModelManifest manifest,
                                        List<String> imputed) {
        if (value != null && Double.isFinite(value)) {
            return value;
        }
        if (median == null) {
            throw new InvalidInputException(feature, "is missing from the event and model " + manifest.name() + " "
                    + manifest.version() + " has no training median to impute it");
        }
        imputed.add(feature);
        return median;
    }
}
