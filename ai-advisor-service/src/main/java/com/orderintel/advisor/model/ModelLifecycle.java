package com.orderintel.advisor.model;

import com.orderintel.registry.RegistryException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.orderintel.advisor.web.ApiProblemException;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When models are (re)loaded. At start, in the background, so the HTTP port (and liveness) come up at once while
 * readiness waits for the models; transient failures (store unreachable, object not there yet) are retried with
 * exponential backoff, after which the service stays live but not ready until a reload succeeds. On reload, every
 * requested model is loaded and validated completely, then installed in one atomic swap; if anything fails nothing
 * is swapped and the models already serving keep serving. One reload at a time.
 */
@Component
public class ModelLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelLifecycle.class);

    /** Sources that must fill a given slot: the properties and the reload request's fields. */
    static final Map<String, ModelSlot<?>> EXPECTED_SLOTS = Map.of(
            "advisor.models.demand-uri", ModelSlot.DEMAND, "demand_uri", ModelSlot.DEMAND,
            "advisor.models.anomaly-uri", ModelSlot.ANOMALY, "anomaly_uri", ModelSlot.ANOMALY,
            ModelProperties.ANOMALY_SHADOW, ModelSlot.ANOMALY, ModelProperties.DEMAND_SHADOW, ModelSlot.DEMAND);

    private final ModelProperties properties;
    private final ModelLoading loading;
    private final ServedModels served;
    private final ReentrantLock reloadLock = new ReentrantLock();
    private volatile Map<String, String> currentUris;
    private volatile Thread worker;

    public ModelLifecycle(ModelProperties properties, ModelLoading loading, ServedModels served) {
        this.properties = properties;
        this.loading = loading;
        this.served = served;
        this.currentUris = properties.configured();
    }

    @Override
    public void start() {
        Map<String, String> uris = properties.configured();
        if (uris.isEmpty()) {
            log.warn("no model configured (set MODEL_URI, MODEL_URI_DEMAND or MODEL_URI_ANOMALY): the service stays NOT READY");
            return;
        }
        worker = Thread.ofVirtual().name("model-bootstrap").start(() -> loadWithRetries(uris));
    }

    private void loadWithRetries(Map<String, String> uris) {
        Retry retry = Retry.of("model-bootstrap", RetryConfig.custom()
                .maxAttempts(Math.max(1, properties.loadAttempts()))
                .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.loadBackoff(), 2.0,
                        properties.loadMaxBackoff()))
                .retryOnException(e -> e instanceof ModelLoadException mle && mle.retryable())
                .build());
        try {
            served.install(retry.executeSupplier(() -> loading.loadAll(uris, EXPECTED_SLOTS)));
            served.markInitialLoadComplete();
        } catch (Throwable e) { // an Error too: this thread must end having logged why the service is not ready
            log.error("giving up loading models after {} attempt(s); the service stays NOT READY until an admin reload "
                    + "succeeds or an alias it serves moves to a version that loads: {}", properties.loadAttempts(),
                    String.valueOf(e.getMessage() != null ? e.getMessage() : e));
            return;
        }
        loadShadows(retry);
    }

    /**
     * Shadow (candidate) models load after the served ones and never gate readiness: a candidate that cannot be
     * loaded is counted and logged, and the service serves without a shadow.
     */
    private void loadShadows(Retry retry) {
        Map<String, String> shadows = properties.configuredShadows();
        if (shadows.isEmpty()) {
            return;
        }
        try {
            List<LoadedModel<?>> loaded = retry.executeSupplier(() -> loading.loadAll(shadows, EXPECTED_SLOTS));
            served.installShadows(loaded);
            loaded.forEach(m -> log.info("shadow model {} version {} scores beside the served {} model", m.name(),
                    m.version(), m.slot().label()));
        } catch (Throwable e) {
            log.error("shadow model not loaded, serving without a shadow: {}", e.getMessage() != null ? e.getMessage() : e);
        }
    }

    /**
     * Reloads from new URIs (request field name to URI), or, when none are given, from the URIs loaded last
     * (which re-resolves aliases such as {@code @production}).
     */
    public List<LoadedModel<?>> reload(Map<String, String> requested) {
        if (!reloadLock.tryLock()) {
            throw new ReloadInProgressException();
        }
        try {
            Map<String, String> uris = requested.isEmpty() ? currentUris : requested;
            if (uris.isEmpty()) {
                throw new ModelLoadException("", RegistryException.Reason.INVALID_URI,
                        "nothing to reload: no model URI configured or given", null);
            }
            List<LoadedModel<?>> loaded = loading.loadAll(uris, EXPECTED_SLOTS);
            served.install(loaded);
            served.markInitialLoadComplete();
            if (!requested.isEmpty()) {
                Map<String, String> next = new LinkedHashMap<>();
                served.snapshot().all().forEach(m -> next.put("uri." + m.slot().label(), m.uri()));
                currentUris = next;
            }
            return loaded;
        } finally {
            reloadLock.unlock();
        }
    }

    /**
     * Reloads one served model from its own URI (re-resolving its alias) and swaps it in; the other slots stay.
     * Fails, changing nothing, when the new version is refused or another reload is running.
     */
    List<LoadedModel<?>> reloadSlot(ModelSlot<?> slot, String uri) {
        if (!reloadLock.tryLock()) {
            throw new ReloadInProgressException();
        }
        try {
            String source = "advisor.models." + slot.label() + "-uri";
            List<LoadedModel<?>> loaded = loading.loadAll(Map.of(source, uri), Map.of(source, slot));
            served.install(loaded);
            return loaded;
        } finally {
            reloadLock.unlock();
        }
    }

    /** Reloads one shadow model from its URI (re-resolving its alias) and swaps it in; as {@link #reloadSlot}. */
    List<LoadedModel<?>> reloadShadow(ModelSlot<?> slot, String uri) {
        if (!reloadLock.tryLock()) {
            throw new ReloadInProgressException();
        }
        try {
            String source = "advisor.models." + slot.label() + "-shadow-uri";
            List<LoadedModel<?>> loaded = loading.loadAll(Map.of(source, uri), Map.of(source, slot));
            served.installShadows(loaded);
            return loaded;
        } finally {
            reloadLock.unlock();
        }
    }

    /** True while the start-up load (with its retries) is still running. */
    boolean bootstrapping() {
        Thread t = worker;
        return t != null && t.isAlive();
    }

    @Override
    public void stop() {
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null && worker.isAlive();
    }

    /** Another reload is running: 409, retry later. */
    public static final class ReloadInProgressException extends ApiProblemException {
        ReloadInProgressException() {
            super(HttpStatus.CONFLICT, "reload-in-progress", "Reload in progress",
                    "another model reload is in progress; retry when it has finished");
        }
    }
}
