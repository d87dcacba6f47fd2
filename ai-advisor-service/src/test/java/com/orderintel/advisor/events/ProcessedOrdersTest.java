package com.orderintel.advisor.events;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessedOrdersTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    @Test
    void anOrderIdIsClaimedOnceUntilReleasedOrExpired() {
        ProcessedOrders processed = new ProcessedOrders(10, Duration.ofMinutes(1), clock);
        assertThat(processed.tryClaim("o-1")).isTrue();
        assertThat(processed.tryClaim("o-1")).as("duplicate within the TTL").isFalse();
        processed.release("o-1");
        assertThat(processed.tryClaim("o-1")).as("released: a redelivery is processed again").isTrue();
        now.addAndGet(Duration.ofMinutes(1).toMillis() + 1);
        assertThat(processed.tryClaim("o-1")).as("expired").isTrue();
        assertThat(processed.tryClaim("o-1")).isFalse();
    }

    @Test
    void theOldestEntryIsEvictedAtCapacityAndAReclaimedIdCountsAsNewest() {
        ProcessedOrders processed = new ProcessedOrders(2, Duration.ofMinutes(1), clock);
        processed.tryClaim("a");
        now.addAndGet(1);
        processed.tryClaim("b");
        now.addAndGet(Duration.ofMinutes(1).toMillis());    // "a" has expired, "b" not yet
        assertThat(processed.tryClaim("a")).isTrue();        // re-inserted as the newest
        processed.tryClaim("c");                             // capacity 2: evicts the oldest, "b"
        assertThat(processed.tryClaim("a")).as("kept").isFalse();
        assertThat(processed.tryClaim("b")).as("evicted").isTrue();
    }
}
