package com.orderintel.advisor.serving;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code advisor.shadow.*}: how the candidate named by {@code MODEL_URI_*_SHADOW} is run beside the served model.
 *
 * @param queueCapacity scorings (one per request or event) waiting for the shadow worker; beyond it work is dropped
 *                      and counted ({@code advisor_shadow_dropped_total}), never waited for
 * @param window        the last pairs (primary, candidate) behind the agreement gauges
 * @param canaryShare   share in [0, 1] of single-record traffic answered by the candidate, by a stable hash of the
 *                      order id (product id for forecasts); 0 = shadow only
 */
@ConfigurationProperties("advisor.shadow")
public record ShadowProperties(
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue("1000") int window,
        @DefaultValue("0") double canaryShare) {

    public ShadowProperties {
        if (queueCapacity < 1 || window < 2) {
            throw new IllegalArgumentException("advisor.shadow.queue-capacity must be at least 1 and advisor.shadow.window at least 2");
        }
        if (!(canaryShare >= 0 && canaryShare <= 1)) {
            throw new IllegalArgumentException("advisor.shadow.canary-share must be between 0 and 1, not " + canaryShare);
        }
    }
}
