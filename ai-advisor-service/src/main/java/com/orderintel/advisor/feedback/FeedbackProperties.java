package com.orderintel.advisor.feedback;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code advisor.feedback.capacity}: how many recent predictions feedback can still be matched to. */
@ConfigurationProperties("advisor.feedback")
public record FeedbackProperties(@DefaultValue("100000") int capacity) {
    public FeedbackProperties {
        if (capacity < 1) {
            throw new IllegalArgumentException("advisor.feedback.capacity must be at least 1, got " + capacity);
        }
    }
}
