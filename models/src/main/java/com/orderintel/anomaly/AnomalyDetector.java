package com.orderintel.anomaly;

import com.orderintel.registry.ServableModel;

import java.util.List;

/** A loaded order-anomaly model in its serving form. Implementations are immutable and thread-safe. */
public interface AnomalyDetector extends ServableModel {

    AnomalyResult score(OrderMetrics order);

    /** Why {@link #score} scores the order as it does, per feature; not every model type can say. */
    default AnomalyExplanation explain(OrderMetrics order) {
        throw new UnsupportedOperationException("model " + manifest().name() + " (" + getClass().getSimpleName()
                + ") gives no explanations");
    }

    /**
     * The note features the model reads from {@link OrderMetrics#note()}, or null when it reads none (then the entry
     * points need not compute them).
     */
    default com.orderintel.llm.NoteFeatureEncoding noteFeatures() {
        return null;
    }

    default List<AnomalyResult> scoreBatch(List<OrderMetrics> orders) {
        return orders.stream().map(this::score).toList();
    }
}
