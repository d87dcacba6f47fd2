package com.orderintel.advisor.model;

import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import com.orderintel.registry.ModelUri;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every replica on what the registry's aliases say: every {@code advisor.models.watch-interval} it re-reads
 * the alias of each served {@code ...@alias} URI (one small object per model: the alias file or S3 object) and,
 * when it points at another version, loads, validates and hot-swaps that model through the same path as an admin
 * reload. A refused version leaves the old model serving, is counted in {@code advisor_model_load_failures_total},
 * shows in {@code advisor_model_alias_refused{model,version} 1} (alerted on) and is not retried until the alias
 * moves again.
 */
@Component
public class AliasWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AliasWatcher.class);

    private final ModelProperties properties;
    private final ServedModels served;
    private final ModelLifecycle lifecycle;
    private final Map<String, ModelStore> stores = new ConcurrentHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>(); // model name -> refused version
    private final MultiGauge refusedGauge;
    private ScheduledExecutorService timer;

    public AliasWatcher(ModelProperties properties, ServedModels served, ModelLifecycle lifecycle, MeterRegistry registry) {
        this.properties = properties;
        this.served = served;
        this.lifecycle = lifecycle;
        this.refusedGauge = MultiGauge.builder("advisor.model.alias.refused")
                .description("1 while the version an alias points at was refused and the previous version keeps serving")
                .register(registry);
    }

    /** One pass: re-resolve each served alias, swap what moved. Returns the models swapped in. */
    public List<LoadedModel<?>> checkOnce() {
        List<LoadedModel<?>> swapped = new java.util.ArrayList<>();
        for (LoadedModel<?> model : served.snapshot().all()) {
            ModelUri uri;
            try {
                uri = ModelUri.parse(model.uri());
            } catch (RuntimeException e) {
                continue;
            }
            if (!uri.isAlias()) {
                continue;
            }
            Optional<String> target;
            try {
                target = stores.computeIfAbsent(uri.location(), ModelStores::open).resolveAlias(uri.name(), uri.alias());
            } catch (RuntimeException e) {
                log.warn("alias {} of {} not checked (registry unavailable): {}", uri.alias(), uri.name(), e.getMessage());
                continue;
            }
            String version = target.orElse(null);
            if (version == null || version.equals(model.version()) || version.equals(refused.get(model.name()))) {
                continue;
            }
            try {
                swapped.addAll(lifecycle.reloadSlot(model.slot(), model.uri()));
                refused.remove(model.name());
                log.info("alias {}@{} moved: now serving version {} (was {})", uri.name(), uri.alias(), version, model.version());
            } catch (ModelLifecycle.ReloadInProgressException e) {
                // an admin reload is running; the next pass looks again
            } catch (RuntimeException e) {
                refused.put(model.name(), version);
                log.error("alias {}@{} moved to version {}, which was refused; version {} keeps serving: {}", uri.name(),
                        uri.alias(), version, model.version(), e.getMessage());
            }
        }
        refusedGauge.register(refused.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("model", e.getKey(), "version", e.getValue()), 1)).toList(), true);
        return swapped;
    }

    @Override
    public void start() {
        Duration every = properties.watchInterval();
        if (every == null || every.isZero() || every.isNegative()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("alias-watcher").factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                checkOnce();
            } catch (RuntimeException e) {
                log.warn("alias check failed: {}", e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        stores.values().forEach(store -> {
            if (store instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.debug("closing model store: {}", e.getMessage());
                }
            }
        });
    }

    @Override
    public boolean isRunning() {
        return timer != null && !timer.isShutdown();
    }
}
