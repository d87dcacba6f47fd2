package com.orderintel.advisor.model;

import com.orderintel.registry.RegistryException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Model lifecycle metrics: {@code advisor_model_info{name,version,commit} 1} for every served model,
 * {@code advisor_model_age_seconds{model}} (time since the manifest's created_at, i.e. since training) and
 * {@code advisor_model_load_failures_total{model,reason}}.
 */
@Component
public class ModelMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final MultiGauge info;
    private final MultiGauge age;
    private final MultiGauge trainingMetric;

    public ModelMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.info = MultiGauge.builder("advisor.model.info")
                .description("Served model (value is always 1); labels carry name, version and training commit")
                .register(registry);
        this.age = MultiGauge.builder("advisor.model.age")
                .description("Seconds since the served model was trained (manifest created_at)")
                .baseUnit("seconds")
                .register(registry);
        this.trainingMetric = MultiGauge.builder("advisor.model.training.metric")
                .description("Held-out metric of the served model at training (manifest metrics), the baseline that "
                        + "live feedback accuracy is compared with")
                .register(registry);
    }

    public void loadFailed(String model, RegistryException.Reason reason) {
        registry.counter("advisor.model.load.failures", "model", model, "reason", reason.name()).increment();
    }

    @EventListener
    public void onSwap(ModelsSwappedEvent event) {
        info.register(event.current().all().stream()
                .map(m -> MultiGauge.Row.of(Tags.of("name", m.name(), "version", m.version(),
                        "commit", String.valueOf(m.manifest().gitCommit())), 1))
                .toList(), true);
        age.register(event.current().all().stream()
                .map(m -> MultiGauge.Row.of(Tags.of("model", m.name()), m, this::ageSeconds))
                .toList(), true);
        trainingMetric.register(event.current().all().stream()
                .filter(m -> m.manifest().metrics() != null)
                .flatMap(m -> m.manifest().metrics().entrySet().stream()
                        .filter(e -> BASELINE_METRICS.contains(e.getKey()) && e.getValue() != null)
                        .map(e -> MultiGauge.Row.of(Tags.of("model", m.name(), "metric", e.getKey()), e.getValue())))
                .toList(), true);
    }

    /** The manifest metrics live feedback is judged against. */
    private static final java.util.Set<String> BASELINE_METRICS = java.util.Set.of("precision", "recall", "mae");

    private double ageSeconds(LoadedModel<?> m) {
        Instant created = m.manifest().createdAt() != null ? m.manifest().createdAt() : m.loadedAt();
        return Duration.between(created, clock.instant()).toMillis() / 1000.0;
    }
}
