package com.orderintel.advisor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code advisor_predictions_total{model,outcome}} (one per record, so a batch of 1,000 counts 1,000) and
 * {@code advisor_anomalies_flagged_total{model}}. Counters are cached per model so the hot path is one map
 * lookup and an add.
 */
@Component
public class PredictionMetrics {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter[]> byModel = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> flagged = new ConcurrentHashMap<>();

    public PredictionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String model, Outcome outcome, int records) {
        byModel.computeIfAbsent(model, this::countersFor)[outcome.ordinal()].increment(records);
    }

    public void flagged(String model, int anomalies) {
        if (anomalies > 0) {
            flagged.computeIfAbsent(model, m -> Counter.builder("advisor.anomalies.flagged")
                    .description("Orders scored as anomalous").tag("model", m).register(registry)).increment(anomalies);
        }
    }

    private Counter[] countersFor(String model) {
        Counter[] counters = new Counter[Outcome.values().length];
        for (Outcome o : Outcome.values()) {
            counters[o.ordinal()] = Counter.builder("advisor.predictions")
                    .description("Prediction records by model and outcome")
                    .tags("model", model, "outcome", o.label())
                    .register(registry);
        }
        return counters;
    }
}
