package com.orderintel.advisor.shadow;

import com.orderintel.advisor.feedback.FeedbackProperties;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.model.ModelsSwappedEvent;
import com.orderintel.advisor.scheduling.PeriodicRefresh;
import com.orderintel.shadow.ShadowEvidence;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shadow candidate against feedback, from the shared store (the same query the promotion gate runs, so the
 * dashboard shows what {@code promote --require-shadow} will judge): {@code advisor_shadow_feedback_precision|recall{model}}
 * and {@code advisor_shadow_feedback_primary_precision{model}} on the same labelled orders,
 * {@code advisor_shadow_feedback_mae{model}} / {@code advisor_shadow_feedback_primary_mae{model}} for forecasts, and
 * {@code advisor_shadow_feedback_labels{model}}. Only with a database; refreshed every
 * {@code advisor.feedback.refresh-interval}; labels are candidate model names.
 */
@Component
public class ShadowFeedbackGauges implements PeriodicRefresh {

    private static final Logger log = LoggerFactory.getLogger(ShadowFeedbackGauges.class);

    private record Figures(double precision, double recall, double primaryPrecision, double mae, double primaryMae, long labels) {
        static final Figures NONE = new Figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private final FeedbackProperties properties;
    private final Map<String, Figures> figures = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();
    private volatile List<LoadedModel<?>> candidates = List.of();

    public ShadowFeedbackGauges(ObjectProvider<DataSource> dataSource, MeterRegistry registry, FeedbackProperties properties) {
        this.dataSource = dataSource.getIfAvailable();
        this.registry = registry;
        this.properties = properties;
    }

    @EventListener
    public synchronized void onSwap(ModelsSwappedEvent event) {
        if (dataSource == null) {
            return;
        }
        List<LoadedModel<?>> next = ModelSlot.values().stream()
                .flatMap(slot -> event.current().shadow(slot).stream().<LoadedModel<?>>map(m -> m)).toList();
        List<String> names = next.stream().map(LoadedModel::name).distinct().toList();
        if (!names.equals(candidates.stream().map(LoadedModel::name).distinct().toList())) {
            meters.forEach(registry::remove);
            meters.clear();
            for (LoadedModel<?> m : next) {
                boolean anomaly = m.slot() == ModelSlot.ANOMALY;
                String name = m.name();
                if (anomaly) {
                    gauge("advisor.shadow.feedback.precision", name, Figures::precision, "candidate's precision against feedback");
                    gauge("advisor.shadow.feedback.recall", name, Figures::recall, "candidate's recall against feedback");
                    gauge("advisor.shadow.feedback.primary.precision", name, Figures::primaryPrecision,
                            "served model's precision on the same labelled orders");
                } else {
                    gauge("advisor.shadow.feedback.mae", name, Figures::mae, "candidate's MAE against actual demand");
                    gauge("advisor.shadow.feedback.primary.mae", name, Figures::primaryMae,
                            "served model's MAE on the same forecasts");
                }
                gauge("advisor.shadow.feedback.labels", name, f -> f.labels(), "labelled records behind the shadow accuracy");
            }
        }
        next.stream().filter(m -> candidates.stream().noneMatch(c -> c.name().equals(m.name()) && c.version().equals(m.version())))
                .forEach(m -> figures.remove(m.name()));
        candidates = next;
    }

    private void gauge(String metric, String model, java.util.function.ToDoubleFunction<Figures> value, String description) {
        meters.add(Gauge.builder(metric, () -> value.applyAsDouble(figures.getOrDefault(model, Figures.NONE)))
                .tag("model", model).description(description).register(registry));
    }

    /** Recomputes every candidate's figures from the store (also called by tests). */
    @Override
    public void refresh() {
        for (LoadedModel<?> m : candidates) {
            try {
                if (m.slot() == ModelSlot.ANOMALY) {
                    ShadowEvidence.Anomaly e = ShadowEvidence.anomaly(dataSource, m.name(), m.version(), null);
                    figures.put(m.name(), new Figures(e.candidate().precision(), e.candidate().recall(),
                            e.primary().precision(), Double.NaN, Double.NaN, e.labelled()));
                } else {
                    ShadowEvidence.Demand e = ShadowEvidence.demand(dataSource, m.name(), m.version(), null);
                    figures.put(m.name(), new Figures(Double.NaN, Double.NaN, Double.NaN, e.candidateMae(), e.primaryMae(),
                            e.withActuals()));
                }
            } catch (java.sql.SQLException | RuntimeException e) {
                log.warn("shadow accuracy of {} not refreshed (store unavailable): {}", m.name(),
                        String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
    }

    @Override
    public String refreshName() {
        return "shadow feedback refresh";
    }

    /** With a database: every {@code advisor.feedback.refresh-interval} on the service's task scheduler. */
    @Override
    public Duration refreshEvery() {
        return dataSource != null ? properties.refreshInterval() : null;
    }
}
