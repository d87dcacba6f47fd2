package com.orderintel.advisor.feedback;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code advisor.feedback.*}: how many recent predictions this replica remembers for feedback, and how often the
 * rolling accuracy is recomputed from the shared store (every replica runs the same query on the same data).
 */
@ConfigurationProperties("advisor.feedback")
public record FeedbackProperties(@DefaultValue("100000") int capacity, @DefaultValue("10s") Duration refreshInterval) {
    public FeedbackProperties {
        if (capacity < 1) {
            throw new IllegalArgumentException("advisor.feedback.capacity must be at least 1, got " + capacity);
        }
        if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
            refreshInterval = Duration.ofSeconds(10);
        }
    }
}
