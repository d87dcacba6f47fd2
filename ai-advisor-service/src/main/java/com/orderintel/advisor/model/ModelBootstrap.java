package com.orderintel.advisor.model;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Loads the configured models in the background when the context starts, so the HTTP port (and liveness)
 * come up at once while readiness waits for the models. Transient failures (store unreachable, object not
 * there yet) are retried with exponential backoff; after the last attempt the service stays live but not
 * ready, and an admin reload can still bring it up.
 */
@Component
public class ModelBootstrap implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelBootstrap.class);

    private final ModelProperties properties;
    private final ModelLoading loading;
    private final ModelHolder holder;
    private volatile Thread worker;
    private volatile String lastError;

    public ModelBootstrap(ModelProperties properties, ModelLoading loading, ModelHolder holder) {
        this.properties = properties;
        this.loading = loading;
        this.holder = holder;
    }

    @Override
    public void start() {
        Map<String, String> uris = properties.configured();
        if (uris.isEmpty()) {
            lastError = "no model configured (set MODEL_URI, MODEL_URI_DEMAND or MODEL_URI_ANOMALY)";
            log.warn(lastError);
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
            holder.install(retry.executeSupplier(() -> loading.loadAll(uris, ModelReloader.expectedSlots())));
            holder.markInitialLoadComplete();
            lastError = null;
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            log.error("giving up loading models after {} attempt(s); the service stays NOT READY until an admin reload "
                    + "succeeds: {}", properties.loadAttempts(), e.getMessage());
        }
    }

    /** Why the service is not ready yet, or null. */
    public String lastError() {
        return lastError;
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
}
