package com.orderintel.advisor.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;

/**
 * The claim on an order id shared by every replica: Redis {@code SET key NX PX ttl}, so a redelivery that lands
 * on another replica (or on this one after a restart) does not alert twice. This replica's own claims are checked
 * first (no round trip for a local duplicate). When Redis does not answer, the local claim alone decides
 * (at-least-once across replicas for that moment) and {@code advisor_events_claim_fallbacks_total} counts it.
 */
final class RedisOrderClaims implements OrderClaims {

    private static final Logger log = LoggerFactory.getLogger(RedisOrderClaims.class);

    private final StringRedisTemplate redis;
    private final OrderClaims local;
    private final String prefix;
    private final Duration ttl;
    private final Counter fallbacks;

    RedisOrderClaims(StringRedisTemplate redis, OrderClaims local, String prefix, Duration ttl, MeterRegistry registry) {
        this.redis = redis;
        this.local = local;
        this.prefix = prefix;
        this.ttl = ttl;
        this.fallbacks = Counter.builder("advisor.events.claim.fallbacks")
                .description("order claims decided locally because Redis did not answer").register(registry);
    }

    @Override
    public boolean tryClaim(String orderId) {
        if (!local.tryClaim(orderId)) {
            return false;
        }
        try {
            Boolean won = redis.opsForValue().setIfAbsent(prefix + orderId, "1", ttl);
            if (Boolean.FALSE.equals(won)) {
                // another replica has it: no local claim, so if that replica gives it up, a redelivery here is handled
                local.release(orderId);
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            fallbacks.increment();
            log.debug("order claim for {} decided locally: {}", orderId, e.getMessage());
            return true;
        }
    }

    @Override
    public void release(String orderId) {
        local.release(orderId);
        try {
            redis.delete(prefix + orderId);
        } catch (RuntimeException e) {
            fallbacks.increment(); // the key expires with its TTL
        }
    }
}
