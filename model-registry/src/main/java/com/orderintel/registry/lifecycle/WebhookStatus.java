package com.orderintel.registry.lifecycle;

import java.time.Instant;

/**
 * What a console shows for one webhook: events delivered (a 2xx answer), failed (attempts exhausted, a permanent
 * refusal, or dropped because the queue was full), retries made, events waiting (queued or for their next attempt),
 * and the last attempt, success, error and HTTP status.
 */
public record WebhookStatus(String name, String url, long delivered, long failed, long retries, long waiting,
                            Instant lastAttempt, Instant lastSuccess, Instant lastFailure, String lastError,
                            int lastHttpStatus) {

    /** True when the last attempt failed (the console's red light). */
    public boolean failing() {
        return lastFailure != null && (lastSuccess == null || lastFailure.isAfter(lastSuccess));
    }
}
