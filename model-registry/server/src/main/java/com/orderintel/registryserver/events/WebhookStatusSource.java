package com.orderintel.registryserver.events;

import java.time.Instant;
import java.util.List;

/**
 * What the console shows about webhook deliveries: one line per configured receiver. Without a bean of this type
 * (no webhooks configured) the console uses {@link #none()}; a delivering implementation is simply declared as a bean.
 * Lifecycle events likewise go to the one {@code LifecycleEvents} bean when there is one, else nowhere.
 */
@FunctionalInterface
public interface WebhookStatusSource {

    List<WebhookStatus> statuses();

    /**
     * @param url          the receiver, as configured (credentials redacted)
     * @param delivered    events delivered (2xx)
     * @param failed       events given up on after their retries
     * @param retrying     events waiting for another attempt
     * @param lastFailure  when and why the last attempt failed (null when none did)
     */
    record WebhookStatus(String url, long delivered, long failed, long retrying, Instant lastFailureAt, String lastFailure) { }

    static WebhookStatusSource none() {
        return List::of;
    }
}
