package com.orderintel.advisor.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code advisor.api.max-batch-size}: the most records one batch request may carry (400 beyond it). */
@ConfigurationProperties("advisor.api")
public record ApiProperties(@DefaultValue("1000") int maxBatchSize) {
    public ApiProperties {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("advisor.api.max-batch-size must be at least 1, got " + maxBatchSize);
        }
    }
}
