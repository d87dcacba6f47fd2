package com.orderintel.advisor.events;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Order claims shared through the machine's real Redis (127.0.0.1:6379): two replicas, one claim per order. */
class RedisOrderClaimsTest {

    private static final LettuceConnectionFactory REDIS = connect(6379);
    private static final String PREFIX = "test:order-claim:" + UUID.randomUUID() + ":";

    private static LettuceConnectionFactory connect(int port) {
        LettuceConnectionFactory f = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        f.afterPropertiesSet();
        return f;
    }

    private static RedisOrderClaims replica(LettuceConnectionFactory redis, SimpleMeterRegistry meters) {
        StringRedisTemplate template = new StringRedisTemplate(redis);
        template.afterPropertiesSet();
        return new RedisOrderClaims(template, new ProcessedOrders(1000, Duration.ofHours(1), Clock.systemUTC()), PREFIX,
                Duration.ofMinutes(5), meters);
    }

    @AfterAll
    static void close() {
        REDIS.destroy();
    }

    @Test
    void twoReplicasClaimEachOrderOnce() {
        RedisOrderClaims a = replica(REDIS, new SimpleMeterRegistry());
        RedisOrderClaims b = replica(REDIS, new SimpleMeterRegistry());
        assertThat(a.tryClaim("o-1")).isTrue();
        assertThat(b.tryClaim("o-1")).as("the redelivery on the other replica").isFalse();
        assertThat(a.tryClaim("o-1")).as("a local duplicate").isFalse();
        assertThat(b.tryClaim("o-2")).isTrue();

        a.release("o-1"); // processing failed: the next delivery anywhere handles it
        assertThat(b.tryClaim("o-1")).isTrue();
        assertThat(new StringRedisTemplate(REDIS).getExpire(PREFIX + "o-1")).as("claims expire").isPositive();
    }

    @Test
    void withoutRedisEachReplicaStillClaimsLocallyAndCountsTheFallback() {
        LettuceConnectionFactory nowhere = connect(1); // nothing listens on port 1
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try {
            RedisOrderClaims a = replica(nowhere, meters);
            assertThat(a.tryClaim("o-9")).isTrue();
            assertThat(a.tryClaim("o-9")).isFalse();
            assertThat(meters.get("advisor.events.claim.fallbacks").counter().count()).isEqualTo(1.0);
        } finally {
            nowhere.destroy();
        }
    }
}
