package com.orderintel.advisor.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code advisor_predictions_total{model,source,outcome}} (one per record, so a batch of 1,000 counts 1,000) and
 * {@code advisor_anomalies_flagged_total{model,source}}. Counters are cached per model and source so the hot path
 * is one map lookup and an add. Model names come only from served manifests or the slots' conventional names.
 */
@Component
public class PredictionMetrics {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Key, Counter[]> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Counter> flagged = new ConcurrentHashMap<>();

    private record Key(String model, Source source) { }

    public PredictionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String model, Source source, Outcome outcome, int records) {
        outcomes.computeIfAbsent(new Key(model, source), this::countersFor)[outcome.ordinal()].increment(records);
    }

    public void flagged(String model, Source source, int anomalies) {
        if (anomalies > 0) {
            flagged.computeIfAbsent(new Key(model, source), k -> Counter.builder("advisor.anomalies.flagged")
                    .description("Orders scored as anomalous")
                    .tags("model", k.model(), "source", k.source().label())
                    .register(registry)).increment(anomalies);
        }
    }

    private Counter[] countersFor(Key key) {
        Counter[] counters = new Counter[Outcome.values().length];
        for (Outcome o : Outcome.values()) {
            counters[o.ordinal()] = Counter.builder("advisor.predictions")
                    .description("Prediction records by model, entry point and outcome")
                    .tags("model", key.model(), "source", key.source().label(), "outcome", o.label())
                    .register(registry);
        }
        return counters;
    }
}
