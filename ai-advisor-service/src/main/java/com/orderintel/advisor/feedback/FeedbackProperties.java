package com.orderintel.advisor.feedback;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code advisor.feedback.*}: how many recent predictions this replica remembers for feedback, how often the
 * rolling accuracy is recomputed from the shared store (every replica runs the same query on the same data), and
 * how large a reported demand may be.
 *
 * @param maxDemandFactor an {@code actual_demand} above this times the served demand model's training maximum
 *                        ({@code extensions.target_profile.max} of its manifest) is refused (400)
 * @param maxDemand       the hard cap on an {@code actual_demand}, whatever the model (also when its manifest has no
 *                        target profile)
 */
@ConfigurationProperties("advisor.feedback")
public record FeedbackProperties(@DefaultValue("100000") int capacity, @DefaultValue("10s") Duration refreshInterval,
                                 @DefaultValue("10") double maxDemandFactor, @DefaultValue("1000000") double maxDemand) {

    @ConstructorBinding
    public FeedbackProperties {
        if (capacity < 1) {
            throw new IllegalArgumentException("advisor.feedback.capacity must be at least 1, got " + capacity);
        }
        if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
            refreshInterval = Duration.ofSeconds(10);
        }
        if (!(maxDemandFactor >= 1 && Double.isFinite(maxDemandFactor)) || !(maxDemand > 0 && Double.isFinite(maxDemand))) {
            throw new IllegalArgumentException("advisor.feedback.max-demand-factor must be a finite number >= 1 and "
                    + "advisor.feedback.max-demand a finite positive number");
        }
    }

    /** The defaults for the demand bounds. */
    public FeedbackProperties(int capacity, Duration refreshInterval) {
        this(capacity, refreshInterval, 10, 1_000_000);
    }
}
