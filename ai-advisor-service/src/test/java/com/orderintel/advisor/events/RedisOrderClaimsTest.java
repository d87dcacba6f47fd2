package com.orderintel.advisor.events;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.orderintel.advisor.events.OrderClaims.Claim;
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
        return replica(redis, meters, Duration.ofMinutes(1));
    }

    private static RedisOrderClaims replica(LettuceConnectionFactory redis, SimpleMeterRegistry meters, Duration pendingTtl) {
        StringRedisTemplate template = new StringRedisTemplate(redis);
        template.afterPropertiesSet();
        return new RedisOrderClaims(template, new ProcessedOrders(1000, Duration.ofHours(1), Clock.systemUTC()), PREFIX,
                Duration.ofMinutes(5), pendingTtl, meters);
    }

    @AfterAll
    static void close() {
        REDIS.destroy();
    }

    @Test
    void twoReplicasClaimEachOrderOnce() {
        RedisOrderClaims a = replica(REDIS, new SimpleMeterRegistry());
        RedisOrderClaims b = replica(REDIS, new SimpleMeterRegistry());
        assertThat(a.claim("o-1")).isEqualTo(Claim.WON);
        assertThat(b.claim("o-1")).as("the redelivery on the other replica, while A works on it").isEqualTo(Claim.HELD_ELSEWHERE);
        assertThat(a.claim("o-1")).as("a local duplicate").isEqualTo(Claim.HANDLED);
        a.complete("o-1");
        assertThat(b.claim("o-1")).as("the redelivery on the other replica, after A's alert").isEqualTo(Claim.HANDLED);
        assertThat(b.claim("o-2")).isEqualTo(Claim.WON);

        b.release("o-2"); // processing failed: the next delivery anywhere handles it
        assertThat(a.claim("o-2")).isEqualTo(Claim.WON);
        assertThat(new StringRedisTemplate(REDIS).getExpire(PREFIX + "o-1")).as("claims expire").isPositive();
    }

    /**
     * The bug the SIGKILL fault found: a replica killed between claiming an order and its alert left a claim for the
     * whole dedup TTL, and the redelivery to the restarted replica was acked as a duplicate: an event lost. Now the
     * unfinished claim holds off other copies only until it expires, then the order is handled.
     */
    @Test
    void aClaimLeftByAKilledReplicaExpiresAndTheOrderIsHandled() throws InterruptedException {
        RedisOrderClaims killed = replica(REDIS, new SimpleMeterRegistry(), Duration.ofMillis(300));
        assertThat(killed.claim("o-3")).isEqualTo(Claim.WON); // then SIGKILL: neither complete() nor release()
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedisOrderClaims restarted = replica(REDIS, meters, Duration.ofMillis(300));
        assertThat(restarted.claim("o-3")).as("not acked unhandled").isEqualTo(Claim.HELD_ELSEWHERE);
        assertThat(meters.get("advisor.events.claim.held.elsewhere").counter().count()).isEqualTo(1.0);
        Thread.sleep(600);
        assertThat(restarted.claim("o-3")).as("after the pending TTL").isEqualTo(Claim.WON);
    }

    @Test
    void withoutRedisEachReplicaStillClaimsLocallyAndCountsTheFallback() {
        LettuceConnectionFactory nowhere = connect(1); // nothing listens on port 1
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try {
            RedisOrderClaims a = replica(nowhere, meters);
            assertThat(a.claim("o-9")).isEqualTo(Claim.WON);
            assertThat(a.claim("o-9")).isEqualTo(Claim.HANDLED);
            assertThat(meters.get("advisor.events.claim.fallbacks").counter().count()).isEqualTo(1.0);
        } finally {
            nowhere.destroy();
        }
    }
}
