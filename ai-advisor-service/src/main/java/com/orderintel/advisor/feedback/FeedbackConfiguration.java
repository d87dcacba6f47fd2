package com.orderintel.advisor.feedback;

import com.orderintel.advisor.metrics.MetricsProperties;
import com.orderintel.advisor.scheduling.PeriodicRefresh;
import com.orderintel.advisor.model.ModelsSwappedEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Feedback: the shared store when a database is configured (else this replica's memory), and the rolling-accuracy
 * gauges {@code advisor_feedback_precision|recall|mae{model}} and {@code advisor_feedback_window{model,kind}} for
 * the served models (labels come only from served names).
 */
@Configuration(proxyBeanMethods = false)
public class FeedbackConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FeedbackConfiguration.class);

    @Bean
    FeedbackStore feedbackStore(ObjectProvider<DataSource> dataSource, PredictionLog predictions, AccuracyTracker local,
                                MetricsProperties metrics) {
        DataSource ds = dataSource.getIfAvailable();
        return ds == null ? new LocalFeedbackStore(predictions, local)
                : new JdbcFeedbackStore(ds, predictions, metrics.feedbackWindow());
    }

    @Bean
    FeedbackGauges feedbackGauges(FeedbackStore store, MeterRegistry registry, FeedbackProperties properties) {
        return new FeedbackGauges(store, registry, properties);
    }

    /** Registers the gauges per served model and, with the shared store, refreshes them on a schedule. */
    static final class FeedbackGauges implements PeriodicRefresh {
        private final FeedbackStore store;
        private final MeterRegistry registry;
        private final FeedbackProperties properties;
        private final List<Meter> meters = new ArrayList<>();
        private volatile List<String> served = List.of();

        FeedbackGauges(FeedbackStore store, MeterRegistry registry, FeedbackProperties properties) {
            this.store = store;
            this.registry = registry;
            this.properties = properties;
        }

        @EventListener
        public synchronized void onSwap(ModelsSwappedEvent event) {
            List<String> names = event.current().all().stream().map(m -> m.name()).distinct().toList();
            if (names.equals(served)) {
                return;
            }
            meters.forEach(registry::remove);
            meters.clear();
            for (String model : names) {
                gauge("advisor.feedback.precision", model, a -> a.precision(), "Precision of the anomaly flag over the feedback window");
                gauge("advisor.feedback.recall", model, a -> a.recall(), "Recall of the anomaly flag over the feedback window");
                gauge("advisor.feedback.mae", model, a -> a.mae(), "Mean absolute error over the feedback window");
                meters.add(Gauge.builder("advisor.feedback.window", () -> store.accuracy(model).labels()).tags("model", model, "kind", "label")
                        .description("Feedback records behind the rolling accuracy").register(registry));
                meters.add(Gauge.builder("advisor.feedback.window", () -> store.accuracy(model).actuals()).tags("model", model, "kind", "actual")
                        .description("Feedback records behind the rolling accuracy").register(registry));
            }
            served = names;
        }

        private void gauge(String name, String model, ToDoubleFunction<FeedbackStore.Accuracy> value, String description) {
            meters.add(Gauge.builder(name, () -> value.applyAsDouble(store.accuracy(model))).tag("model", model)
                    .description(description).register(registry));
        }

        @Override
        public String refreshName() {
            return "feedback refresh";
        }

        /** With the shared store: every {@code advisor.feedback.refresh-interval} on the service's task scheduler. */
        @Override
        public Duration refreshEvery() {
            return store instanceof JdbcFeedbackStore ? properties.refreshInterval() : null;
        }

        @Override
        public void refresh() {
            if (store instanceof JdbcFeedbackStore jdbc) {
                served.forEach(model -> {
                    try {
                        jdbc.refresh(model);
                    } catch (RuntimeException e) {
                        log.warn("rolling accuracy of {} not refreshed (store unavailable): {}", model,
                                String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    }
                });
            }
        }
    }
}
