package com.orderintel.advisor.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code advisor.metrics.*}: how many recent inputs per model the drift windows hold, and how many feedback records
 * the rolling accuracy gauges cover.
 */
@ConfigurationProperties("advisor.metrics")
public record MetricsProperties(@DefaultValue("10000") int driftWindow, @DefaultValue("1000") int feedbackWindow) {
    public MetricsProperties {
        if (driftWindow < 1 || feedbackWindow < 1) {
            throw new IllegalArgumentException("advisor.metrics.drift-window and feedback-window must be at least 1");
        }
    }
}
