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

    default List<AnomalyResult> scoreBatch(List<OrderMetrics> orders) {
        return orders.stream().map(this::score).toList();
    }
}
