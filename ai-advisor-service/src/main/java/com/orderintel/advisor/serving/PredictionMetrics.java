package com.orderintel.advisor.serving;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelsSwappedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code advisor_predictions_total{model,version,source,outcome}} (one per record, so a batch of 1,000 counts 1,000)
 * and {@code advisor_anomalies_flagged_total{model,version,source}}. Counters are cached per model, version and
 * source so the hot path is one map lookup and an add. Model names come only from served manifests or the slots'
 * conventional names; versions only from served or shadow models ({@code none} when no model is loaded), and the
 * counters of a version are removed once it is neither served nor shadowing, so the label set stays bounded by the
 * versions in service (with canary and shadow: two per slot).
 */
@Component
public class PredictionMetrics {

    /** The version label while no model is loaded. */
    public static final String NO_VERSION = "none";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Key, Counter[]> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Counter> flagged = new ConcurrentHashMap<>();

    private record Key(String model, String version, Source source) { }

    public PredictionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String model, String version, Source source, Outcome outcome, int records) {
        outcomes.computeIfAbsent(new Key(model, version, source), this::countersFor)[outcome.ordinal()].increment(records);
    }

    public void flagged(String model, String version, Source source, int anomalies) {
        if (anomalies > 0) {
            flagged.computeIfAbsent(new Key(model, version, source), k -> Counter.builder("advisor.anomalies.flagged")
                    .description("Orders scored as anomalous")
                    .tags("model", k.model(), "version", k.version(), "source", k.source().label())
                    .register(registry)).increment(anomalies);
        }
    }

    /** Drops the counters of versions no longer served or shadowing (label cardinality). */
    @EventListener
    public void onSwap(ModelsSwappedEvent event) {
        Set<String> inService = new HashSet<>();
        inService.add(NO_VERSION);
        event.current().all().stream().map(LoadedModel::version).forEach(inService::add);
        event.current().shadows().stream().map(LoadedModel::version).forEach(inService::add);
        outcomes.entrySet().removeIf(e -> {
            if (inService.contains(e.getKey().version())) {
                return false;
            }
            for (Counter c : e.getValue()) {
                registry.remove(c);
            }
            return true;
        });
        flagged.entrySet().removeIf(e -> {
            if (inService.contains(e.getKey().version())) {
                return false;
            }
            registry.remove(e.getValue());
            return true;
        });
    }

    private Counter[] countersFor(Key key) {
        Counter[] counters = new Counter[Outcome.values().length];
        for (Outcome o : Outcome.values()) {
            counters[o.ordinal()] = Counter.builder("advisor.predictions")
                    .description("Prediction records by model, version, entry point and outcome")
                    .tags("model", key.model(), "version", key.version(), "source", key.source().label(), "outcome", o.label())
                    .register(registry);
        }
        return counters;
    }
}
