package com.orderintel.advisor.model;

import com.orderintel.advisor.scheduling.PeriodicRefresh;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import com.orderintel.registry.ModelUri;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Keeps every replica on what the registry's aliases say: every {@code advisor.models.watch-interval} it re-reads
 * the alias of each served {@code ...@alias} URI (one small object per model: the alias file or S3 object) and,
 * when it points at another version, loads, validates and hot-swaps that model through the same path as an admin
 * reload. A refused version leaves the old model serving, is counted in {@code advisor_model_load_failures_total},
 * logged with the alias and version, shows in {@code advisor_model_alias_refused{model,alias,version} 1} (alerted
 * on) and is not retried until the alias moves again.
 *
 * <p>A replica whose start-up load failed (it is live, not ready, serving nothing) is watched too: once the start-up retries are
 * over, each pass resolves the configured aliases and, when one moved since the last attempt, loads them all again,
 * so the next good promote makes it ready without a restart.
 *
 * <p>No failure of one load stops the watcher: each check catches every {@link Throwable} (an OutOfMemoryError or
 * another Error included) and the scheduled pass itself never throws ({@code SchedulingConfiguration}), since a periodic task that
 * throws once is never run again by its scheduler.
 */
@Component
public class AliasWatcher implements PeriodicRefresh, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AliasWatcher.class);

    /** A version an alias pointed at that was refused; one per model and role (served or shadow). */
    private record Refusal(String model, String alias, String version) { }

    private final ModelProperties properties;
    private final ServedModels served;
    private final ModelLifecycle lifecycle;
    private final Map<String, ModelStore> stores = new ConcurrentHashMap<>();
    private final Map<String, Refusal> refused = new ConcurrentHashMap<>(); // model name|role -> refused version
    private final MultiGauge refusedGauge;
    /** After a failed start-up load: the version each configured alias pointed at when it was last tried. */
    private volatile Map<String, String> startupTried;

    public AliasWatcher(ModelProperties properties, ServedModels served, ModelLifecycle lifecycle, MeterRegistry registry) {
        this.properties = properties;
        this.served = served;
        this.lifecycle = lifecycle;
        this.refusedGauge = MultiGauge.builder("advisor.model.alias.refused")
                .description("1 while the version an alias points at was refused and the previous version (if any) keeps serving")
                .register(registry);
    }

    /**
     * One pass: re-resolve each served and shadow alias, swap what moved. Returns the models swapped in. Passes never
     * overlap (the poll and a lifecycle event may ask at the same moment: the second waits, then finds nothing to do).
     */
    public synchronized List<LoadedModel<?>> checkOnce() {
        List<LoadedModel<?>> swapped = new java.util.ArrayList<>();
        ModelSnapshot snapshot = served.snapshot();
        if (snapshot.all().isEmpty()) {
            recoverStartup(swapped);
        } else {
            for (LoadedModel<?> model : snapshot.all()) {
                check(model, false, swapped);
            }
            // the shadow follows its own alias (e.g. @staging): promote/rollback swaps primary and shadow without a restart
            for (LoadedModel<?> model : snapshot.shadows()) {
                check(model, true, swapped);
            }
        }
        refusedGauge.register(refused.values().stream()
                .map(r -> Tags.of("model", r.model(), "alias", r.alias(), "version", r.version()))
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
        Optional<String> target = resolve(uri);
        String key = model.name() + (shadow ? "|shadow" : "|served");
        String version = target == null ? null : target.orElse(null);
        Refusal before = refused.get(key);
        if (version == null || version.equals(model.version()) || before != null && version.equals(before.version())) {
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
        } catch (Throwable e) { // one refused load, whatever it threw, must not stop the watcher
            refused.put(key, new Refusal(model.name(), uri.alias(), version));
            log.error("alias {}@{} moved to version {}, which was refused; version {} keeps {}: {}", uri.name(),
                    uri.alias(), version, model.version(), shadow ? "shadowing" : "serving", message(e));
        }
    }

    /**
     * Nothing is served (the start-up load failed): when the start-up retries are over and a configured alias points at another
     * version than at the last attempt, loads the configured models again (as an admin reload without a body).
     */
    private void recoverStartup(List<LoadedModel<?>> swapped) {
        if (lifecycle.bootstrapping()) {
            return;
        }
        Map<String, ModelUri> aliases = new LinkedHashMap<>();
        for (String configured : properties.configured().values()) {
            try {
                ModelUri uri = ModelUri.parse(configured);
                if (uri.isAlias()) {
                    aliases.put(configured, uri);
                }
            } catch (RuntimeException e) {
                // refused at start-up already, with its message
            }
        }
        Map<String, String> targets = new LinkedHashMap<>();
        for (Map.Entry<String, ModelUri> e : aliases.entrySet()) {
            Optional<String> target = resolve(e.getValue());
            if (target == null || target.isEmpty()) {
                return; // registry away or alias not there yet: the next pass looks again
            }
            targets.put(e.getKey(), target.get());
        }
        if (targets.isEmpty() || targets.equals(startupTried)) {
            return;
        }
        try {
            swapped.addAll(lifecycle.reload(Map.of()));
            startupTried = null;
            aliases.values().forEach(uri -> refused.remove(uri.name() + "|served"));
            log.info("models loaded after a failed start-up: aliases now at {}", targets);
        } catch (ModelLifecycle.ReloadInProgressException e) {
            // an admin reload is running; the next pass looks again
        } catch (Throwable e) {
            startupTried = targets;
            String failedUri = e instanceof ModelLoadException mle ? mle.uri() : null;
            aliases.forEach((configured, uri) -> {
                if (failedUri == null || failedUri.equals(configured)) {
                    refused.put(uri.name() + "|served", new Refusal(uri.name(), uri.alias(), targets.get(configured)));
                    log.error("alias {}@{} points at version {}, which was refused; the service stays NOT READY: {}",
                            uri.name(), uri.alias(), targets.get(configured), message(e));
                }
            });
        }
    }

    /** True when this replica serves or shadows {@code model@alias} (or is configured to, while nothing is served). */
    public boolean follows(String model, String alias) {
        ModelSnapshot snapshot = served.snapshot();
        return Stream.of(snapshot.all().stream().map(LoadedModel::uri),
                        snapshot.shadows().stream().map(LoadedModel::uri),
                        properties.configured().values().stream(), properties.configuredShadows().values().stream())
                .flatMap(s -> s)
                .anyMatch(uri -> {
                    try {
                        ModelUri parsed = ModelUri.parse(uri);
                        return parsed.isAlias() && parsed.name().equals(model) && parsed.alias().equals(alias);
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
    }

    /** The alias's target; null when the registry could not be asked (logged). */
    private Optional<String> resolve(ModelUri uri) {
        try {
            return stores.computeIfAbsent(uri.location(), ModelStores::open).resolveAlias(uri.name(), uri.alias());
        } catch (RuntimeException e) {
            log.warn("alias {} of {} not checked (registry unavailable): {}", uri.alias(), uri.name(), e.getMessage());
            return null;
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    @Override
    public String refreshName() {
        return "alias check";
    }

    /** Every {@code advisor.models.watch-interval} on the service's task scheduler (zero or negative: never). */
    @Override
    public Duration refreshEvery() {
        return properties.watchInterval();
    }

    @Override
    public void refresh() {
        checkOnce();
    }

    /** Closes the registry clients opened for alias checks. */
    @Override
    public void destroy() {
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
}
