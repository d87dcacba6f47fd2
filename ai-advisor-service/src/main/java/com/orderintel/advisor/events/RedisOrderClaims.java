package com.orderintel.advisor.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;

/**
 * The claim on an order id shared by every replica, in two steps: {@code SET key pending NX PX pending-ttl} before
 * scoring, {@code SET key done PX dedup-ttl} once the alert is confirmed (or there is nothing to alert). A copy that
 * finds {@code done} is a duplicate; one that finds {@code pending} is being handled elsewhere, or was held by a
 * replica that died (SIGKILL) before finishing, so it is not acked but looked at again until the claim is done or
 * has expired (then it is ours). This replica's own claims are checked first (no round trip for a local duplicate).
 * When Redis does not answer, the local claim alone decides (at-least-once across replicas for that moment) and
 * {@code advisor_events_claim_fallbacks_total} counts it.
 */
final class RedisOrderClaims implements OrderClaims {

    private static final Logger log = LoggerFactory.getLogger(RedisOrderClaims.class);
    static final String PENDING = "pending";
    static final String DONE = "done";

    private final StringRedisTemplate redis;
    private final ProcessedOrders local;
    private final String prefix;
    private final Duration ttl;
    private final Duration pendingTtl;
    private final Counter fallbacks;
    private final Counter heldElsewhere;

    RedisOrderClaims(StringRedisTemplate redis, ProcessedOrders local, String prefix, Duration ttl, Duration pendingTtl,
                     MeterRegistry registry) {
        this.redis = redis;
        this.local = local;
        this.prefix = prefix;
        this.ttl = ttl;
        this.pendingTtl = pendingTtl;
        this.fallbacks = Counter.builder("advisor.events.claim.fallbacks")
                .description("order claims decided locally because Redis did not answer").register(registry);
        this.heldElsewhere = Counter.builder("advisor.events.claim.held.elsewhere")
                .description("deliveries that found their order claimed and not finished elsewhere (looked at again)")
                .register(registry);
    }

    @Override
    public Claim claim(String orderId) {
        if (!local.tryClaim(orderId)) {
            return Claim.HANDLED;
        }
        Boolean won;
        String state = null;
        try {
            won = redis.opsForValue().setIfAbsent(prefix + orderId, PENDING, pendingTtl);
            if (Boolean.FALSE.equals(won)) {
                state = redis.opsForValue().get(prefix + orderId);
            }
        } catch (RuntimeException e) {
            fallbacks.increment();
            log.debug("order claim for {} decided locally: {}", orderId, e.getMessage());
            return Claim.WON;
        }
        if (!Boolean.FALSE.equals(won)) {
            return Claim.WON;
        }
        // another replica has it: no local claim, so a later copy here is decided by Redis again
        local.release(orderId);
        if (state == null || PENDING.equals(state)) { // null: it expired just now; the next look claims it
            heldElsewhere.increment();
            return Claim.HELD_ELSEWHERE;
        }
        return Claim.HANDLED;
    }

    @Override
    public void complete(String orderId) {
        try {
            redis.opsForValue().set(prefix + orderId, DONE, ttl);
        } catch (RuntimeException e) {
            // the pending claim expires: a copy delivered after that is handled again (at-least-once)
            fallbacks.increment();
        }
    }

    @Override
    public void release(String orderId) {
        local.release(orderId);
        try {
            redis.delete(prefix + orderId);
        } catch (RuntimeException e) {
            fallbacks.increment(); // the key expires with its pending TTL
        }
    }
}
