package com.orderintel.advisor.metrics;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.model.ModelsSwappedEvent;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.forecast.DemandQuery;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Input drift and anomaly rate over a sliding window of recent requests, per served model:
 * {@code advisor_feature_psi{model,feature}} against the manifest's training histogram and
 * {@code advisor_anomaly_rate{model}} (share of the last window scored anomalous). The windows are rebuilt
 * when a new model version is installed, since the reference histogram changes with it.
 */
@Component
public class DriftMonitor {

    private static final Logger log = LoggerFactory.getLogger(DriftMonitor.class);

    /** Demand inputs by manifest feature name (raw and the calendar features the demand model derives). */
    static final Map<String, ToDoubleFunction<DemandQuery>> DEMAND_FEATURES = Map.of(
            "avg_basket_value", DemandQuery::avgBasketValue,
            "promo_flag", DemandQuery::promoFlag,
            "day_of_year", q -> q.date().getDayOfYear(),
            "day_of_week", q -> q.date().getDayOfWeek().getValue() - 1, // Monday = 0, as pandas
            "is_weekend", q -> q.date().getDayOfWeek().compareTo(DayOfWeek.SATURDAY) >= 0 ? 1 : 0,
            "month", q -> q.date().getMonthValue(),
            "day_of_month", q -> q.date().getDayOfMonth(),
            "date", q -> q.date().toEpochDay());

    static final Map<String, ToDoubleFunction<OrderMetrics>> ANOMALY_FEATURES = anomalyFeatures();

    private static Map<String, ToDoubleFunction<OrderMetrics>> anomalyFeatures() {
        Map<String, ToDoubleFunction<OrderMetrics>> out = new java.util.HashMap<>();
        for (int i = 0; i < OrderMetrics.FEATURES.size(); i++) {
            int index = i;
            out.put(OrderMetrics.FEATURES.get(i), o -> o.feature(index));
        }
        return Map.copyOf(out);
    }

    private final MeterRegistry registry;
    private final int windowSize;
    private volatile Binding<DemandQuery> demand;
    private volatile Binding<OrderMetrics> anomaly;
    private volatile AnomalyRate anomalyRate;

    public DriftMonitor(MeterRegistry registry, MetricsProperties properties) {
        this.registry = registry;
        this.windowSize = properties.driftWindow();
    }

    /** A window tied to the exact model instance it measures, and the gauges reading it. */
    private record Binding<T>(Object model, FeatureWindow<T> window, List<Meter> meters) { }

    public void recordDemand(LoadedModel<?> model, List<DemandQuery> queries) {
        Binding<DemandQuery> b = demand;
        if (b != null && b.model == model.model()) {
            b.window.recordAll(queries);
        }
    }

    public void recordAnomalies(LoadedModel<?> model, List<OrderMetrics> orders, List<AnomalyResult> results) {
        Binding<OrderMetrics> b = anomaly;
        if (b != null && b.model == model.model()) {
            b.window.recordAll(orders);
            AnomalyRate rate = anomalyRate;
            for (AnomalyResult r : results) {
                rate.record(r.anomalous());
            }
        }
    }

    @EventListener
    public synchronized void onSwap(ModelsSwappedEvent event) {
        LoadedModel<?> d = event.current().get(ModelSlot.DEMAND).orElse(null);
        if (d != null && (demand == null || demand.model != d.model())) {
            demand = rebind(demand, d, DEMAND_FEATURES);
        }
        LoadedModel<?> a = event.current().get(ModelSlot.ANOMALY).orElse(null);
        if (a != null && (anomaly == null || anomaly.model != a.model())) {
            anomaly = rebind(anomaly, a, ANOMALY_FEATURES);
            if (anomalyRate != null) {
                registry.remove(anomalyRate.gauge);
            }
            AnomalyRate rate = new AnomalyRate(windowSize);
            rate.gauge = Gauge.builder("advisor.anomaly.rate", rate, AnomalyRate::rate)
                    .description("Share of the last scored orders flagged anomalous (sliding window)")
                    .tag("model", a.name()).register(registry);
            anomalyRate = rate;
        }
    }

    private <T> Binding<T> rebind(Binding<T> old, LoadedModel<?> model, Map<String, ToDoubleFunction<T>> extractors) {
        if (old != null) {
            old.meters.forEach(registry::remove);
        }
        FeatureWindow<T> window = new FeatureWindow<>(model.manifest(), extractors, windowSize);
        List<Meter> meters = new ArrayList<>();
        for (String feature : window.featureNames()) {
            meters.add(Gauge.builder("advisor.feature.psi", window, w -> w.psi(feature))
                    .description("Population stability index of recent inputs against the training histogram")
                    .tags("model", model.name(), "feature", feature)
                    .register(registry));
        }
        log.info("drift monitoring for {} {} on features {} (window {})", model.name(), model.version(),
                window.featureNames(), windowSize);
        return new Binding<>(model.model(), window, meters);
    }

    /** Ring of recent anomaly flags; same lock-free scheme as {@link FeatureWindow}. */
    private static final class AnomalyRate {
        private final AtomicIntegerArray flags; // 0 empty, 1 normal, 2 anomalous
        private final AtomicLong cursor = new AtomicLong();
        private Gauge gauge;

        AnomalyRate(int size) {
            flags = new AtomicIntegerArray(size);
        }

        void record(boolean anomalous) {
            flags.lazySet((int) (cursor.getAndIncrement() % flags.length()), anomalous ? 2 : 1);
        }

        double rate() {
            long seen = 0;
            long flagged = 0;
            for (int i = 0; i < flags.length(); i++) {
                int v = flags.get(i);
                if (v > 0) {
                    seen++;
                    flagged += v - 1;
                }
            }
            return seen == 0 ? Double.NaN : (double) flagged / seen;
        }
    }
}
