package com.orderintel.advisor.model;

import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admin reload: loads and validates every requested model completely, then installs them in one atomic swap.
 * If anything fails nothing is swapped, so the models already serving keep serving. One reload at a time.
 */
@Component
public class ModelReloader {

    private final ModelLoading loading;
    private final ModelHolder holder;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Map<String, String> currentUris;

    public ModelReloader(ModelProperties properties, ModelLoading loading, ModelHolder holder) {
        this.loading = loading;
        this.holder = holder;
        this.currentUris = properties.configured();
    }

    static Map<String, ModelSlot> expectedSlots() {
        return Map.of("advisor.models.demand-uri", ModelSlot.DEMAND, "demand_uri", ModelSlot.DEMAND,
                "advisor.models.anomaly-uri", ModelSlot.ANOMALY, "anomaly_uri", ModelSlot.ANOMALY);
    }

    /**
     * Reloads from new URIs (request field name to URI), or, when none are given, from the URIs loaded last
     * (which re-resolves aliases such as {@code @production}).
     */
    public List<LoadedModel> reload(Map<String, String> requested) {
        if (!lock.tryLock()) {
            throw new ReloadInProgressException();
        }
        try {
            Map<String, String> uris = requested.isEmpty() ? currentUris : requested;
            if (uris.isEmpty()) {
                throw new ModelLoadException("", "INVALID_URI", "nothing to reload: no model URI configured or given", null);
            }
            List<LoadedModel> loaded = loading.loadAll(uris, expectedSlots());
            holder.install(loaded);
            holder.markInitialLoadComplete();
            if (!requested.isEmpty()) {
                Map<String, String> next = new LinkedHashMap<>();
                holder.snapshot().all().forEach(m -> next.put("uri." + m.slot().label(), m.uri()));
                currentUris = next;
            }
            return loaded;
        } finally {
            lock.unlock();
        }
    }

    /** Another reload is running. */
    public static final class ReloadInProgressException extends RuntimeException {
        ReloadInProgressException() {
            super("another model reload is in progress; retry when it has finished");
        }
    }
}
