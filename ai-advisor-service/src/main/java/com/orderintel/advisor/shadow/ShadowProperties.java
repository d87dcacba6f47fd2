package com.orderintel.advisor.shadow;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code advisor.shadow.*}: how the candidate named by {@code MODEL_URI_*_SHADOW} is run beside the served model.
 *
 * @param queueCapacity scorings (one per request or event) waiting for the shadow worker; beyond it work is dropped
 *                      and counted ({@code advisor_shadow_dropped_total}), never waited for
 * @param window        the last pairs (primary, candidate) behind the agreement gauges
 * @param canaryShare   share in [0, 1] of single-record traffic answered by the candidate, by a keyed hash of the
 *                      order id (product id for forecasts); 0 = shadow only
 * @param canarySecret  the key of that hash (HMAC-SHA256), the same on every replica of a deployment (a Secret);
 *                      required (at least 16 characters) when the canary share is above 0, so that nobody outside
 *                      can pick order ids that meet the candidate (or the primary)
 */
@ConfigurationProperties("advisor.shadow")
public record ShadowProperties(
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue("1000") int window,
        @DefaultValue("0") double canaryShare,
        @DefaultValue("") String canarySecret) {

    static final int MIN_SECRET_LENGTH = 16;

    @ConstructorBinding
    public ShadowProperties {
        if (queueCapacity < 1 || window < 2) {
            throw new IllegalArgumentException("advisor.shadow.queue-capacity must be at least 1 and advisor.shadow.window at least 2");
        }
        if (!(canaryShare >= 0 && canaryShare <= 1)) {
            throw new IllegalArgumentException("advisor.shadow.canary-share must be between 0 and 1, not " + canaryShare);
        }
        canarySecret = canarySecret == null ? "" : canarySecret;
        if (canaryShare > 0 && canarySecret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("advisor.shadow.canary-secret (ADVISOR_SHADOW_CANARY_SECRET) must be set, at "
                    + "least " + MIN_SECRET_LENGTH + " characters and the same on every replica, when advisor.shadow.canary-share"
                    + " is above 0: the canary bucket is a keyed hash of the order id");
        }
    }

    /** Shadow only (no canary, no secret). */
    public ShadowProperties(int queueCapacity, int window) {
        this(queueCapacity, window, 0, "");
    }

    @Override
    public String toString() { // never the secret
        return "ShadowProperties[queueCapacity=" + queueCapacity + ", window=" + window + ", canaryShare=" + canaryShare
                + ", canarySecret=" + (canarySecret.isEmpty() ? "(unset)" : "(set)") + "]";
    }
}
