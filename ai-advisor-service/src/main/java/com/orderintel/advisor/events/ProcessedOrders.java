package com.orderintel.advisor.events;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Order ids already handled (or being handled), so a redelivered event does not alert twice. Bounded (oldest evicted) and with a
 * time to live. Per instance and in memory; {@link RedisOrderClaims} shares the claim between replicas and keeps
 * this as its fast path and its fallback.
 */
final class ProcessedOrders implements OrderClaims {

    private final int capacity;
    private final long ttlMillis;
    private final Clock clock;
    private final LinkedHashMap<String, Long> seen;

    ProcessedOrders(int capacity, Duration ttl, Clock clock) {
        this.capacity = capacity;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > ProcessedOrders.this.capacity;
            }
        };
    }

    /**
     * Atomically claims an order id for processing: false when it was already handled (within the TTL) or is
     * being handled by another consumer thread (two copies of one event in flight at once must not both alert).
     */
    synchronized boolean tryClaim(String orderId) {
        long now = clock.millis();
        Long at = seen.get(orderId);
        if (at != null && now - at <= ttlMillis) {
            return false;
        }
        if (at != null) {
            seen.remove(orderId); // expired: re-inserted below as the newest entry, last to be evicted
        }
        seen.put(orderId, now);
        return true;
    }

    /** This replica's claims are all it knows: a copy it holds or held is a duplicate. */
    @Override
    public Claim claim(String orderId) {
        return tryClaim(orderId) ? Claim.WON : Claim.HANDLED;
    }

    /** Gives up a claim whose processing did not complete, so a later redelivery is processed again. */
    @Override
    public synchronized void release(String orderId) {
        seen.remove(orderId);
    }
}
