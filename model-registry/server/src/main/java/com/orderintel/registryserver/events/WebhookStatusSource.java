package com.orderintel.registryserver.events;

import java.time.Instant;
import java.util.List;

/**
 * What the console shows about webhook deliveries: one line per configured receiver. The default knows no receiver
 * (no webhooks configured); a delivering implementation replaces it as a bean.
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
