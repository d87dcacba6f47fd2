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
    private final Map<String, String> refused = new ConcurrentHashMap<>(); // model name|role -> refused version
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

    /** One pass: re-resolve each served and shadow alias, swap what moved. Returns the models swapped in. */
    public List<LoadedModel<?>> checkOnce() {
        List<LoadedModel<?>> swapped = new java.util.ArrayList<>();
        ModelSnapshot snapshot = served.snapshot();
        for (LoadedModel<?> model : snapshot.all()) {
            check(model, false, swapped);
        }
        // the shadow follows its own alias (e.g. @staging): promote/rollback swaps primary and shadow without a restart
        for (LoadedModel<?> model : snapshot.shadows()) {
            check(model, true, swapped);
        }
        refusedGauge.register(refused.entrySet().stream()
                .map(e -> Tags.of("model", e.getKey().substring(0, e.getKey().indexOf('|')), "version", e.getValue()))
                .distinct().map(tags -> MultiGauge.Row.of(tags, 1)).toList(), true);
        return swapped;
    }

    private void check(LoadedModel<?> model, boolean shadow, List<LoadedModel<?>> swapped) {
        ModelUri uri;
        try {
            uri = ModelUri.parse(model.uri());
        } catch (RuntimeException e) {
            return;
        }
        if (!uri.isAlias()) {
            return;
        }
        Optional<String> target;
        try {
            target = stores.computeIfAbsent(uri.location(), ModelStores::open).resolveAlias(uri.name(), uri.alias());
        } catch (RuntimeException e) {
            log.warn("alias {} of {} not checked (registry unavailable): {}", uri.alias(), uri.name(), e.getMessage());
            return;
        }
        String key = model.name() + (shadow ? "|shadow" : "|served");
        String version = target.orElse(null);
        if (version == null || version.equals(model.version()) || version.equals(refused.get(key))) {
            return;
        }
        try {
            swapped.addAll(shadow ? lifecycle.reloadShadow(model.slot(), model.uri())
                    : lifecycle.reloadSlot(model.slot(), model.uri()));
            refused.remove(key);
            log.info("alias {}@{} moved: {} now version {} (was {})", uri.name(), uri.alias(),
                    shadow ? "shadow" : "serving", version, model.version());
        } catch (ModelLifecycle.ReloadInProgressException e) {
            // an admin reload is running; the next pass looks again
        } catch (RuntimeException e) {
            refused.put(key, version);
            log.error("alias {}@{} moved to version {}, which was refused; version {} keeps {}: {}", uri.name(),
                    uri.alias(), version, model.version(), shadow ? "shadowing" : "serving", e.getMessage());
        }
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
