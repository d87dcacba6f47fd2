package com.orderintel.advisor.events;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Names and tuning of the order-event consumer ({@code advisor.events.*}). The queue is our own, bound to
 * order-service's exchange, so we never compete with other consumers of order-service's queue.
 */
@ConfigurationProperties("advisor.events")
public record EventsProperties(
        boolean enabled,
        String exchange,
        String routingKey,
        String queue,
        String deadLetterExchange,
        String deadLetterQueue,
        String alertRoutingKey,
        int concurrency,
        int prefetch,
        int maxAttempts,
        Duration retryBackoff,
        Duration confirmTimeout,
        int publisherChannels,
        int dedupCapacity,
        Duration dedupTtl,
        boolean sharedClaims,
        Duration claimPendingTtl,
        String claimKeyPrefix,
        int maxBodyBytes,
        String queueType,
        int ackBatch,
        Duration ackLinger) {

    /** RabbitMQ's replicated queue type (survives losing a node of a cluster); "classic" only for a single node. */
    public static final String QUORUM = "quorum";
    public static final String CLASSIC = "classic";

    public EventsProperties {
        exchange = orDefault(exchange, "order.exchange");
        routingKey = orDefault(routingKey, "order.created");
        queue = orDefault(queue, "ai-advisor.order-created");
        deadLetterExchange = orDefault(deadLetterExchange, "ai-advisor.dlx");
        deadLetterQueue = orDefault(deadLetterQueue, queue + ".dlq");
        claimKeyPrefix = orDefault(claimKeyPrefix, "advisor:order-claim:");
        alertRoutingKey = orDefault(alertRoutingKey, "order.monitoring");
        concurrency = concurrency <= 0 ? 2 : concurrency;
        // an event waiting for its alert's confirm holds back the bulk ack of every later one on its channel, so the
        // window must cover confirm latency x rate: with 50, 10 % anomalous and confirms of 10-20 ms under load, a
        // consumer stalled on a full window and fell behind at 5,000 events/s while the machine was two-thirds idle
        prefetch = prefetch <= 0 ? 300 : prefetch;
        maxAttempts = maxAttempts <= 0 ? 3 : maxAttempts;
        retryBackoff = retryBackoff == null ? Duration.ofMillis(200) : retryBackoff;
        confirmTimeout = confirmTimeout == null ? Duration.ofSeconds(5) : confirmTimeout;
        publisherChannels = publisherChannels <= 0 ? 2 : publisherChannels;
        dedupCapacity = dedupCapacity <= 0 ? 100_000 : dedupCapacity;
        dedupTtl = dedupTtl == null ? Duration.ofHours(24) : dedupTtl;
        // a shared claim not completed within this (its holder died) expires, and a redelivery handles the order;
        // longer than one event can take: every attempt's confirm wait plus the dead letter's
        claimPendingTtl = claimPendingTtl == null ? confirmTimeout.multipliedBy(maxAttempts + 1L) : claimPendingTtl;
        // hostile input: an event over this is poison (dead-lettered with the reason), never held in memory
        maxBodyBytes = maxBodyBytes <= 0 ? 64 * 1024 : maxBodyBytes;
        queueType = orDefault(queueType, QUORUM);
        if (!QUORUM.equals(queueType) && !CLASSIC.equals(queueType)) {
            throw new IllegalArgumentException("advisor.events.queue-type must be quorum or classic, not '" + queueType + "'");
        }
        // finished events acked together (one basic.ack multiple=true): a quarter of the prefetch keeps deliveries
        // flowing while acks wait; the linger bounds how long a finished event waits for its ack
        ackBatch = ackBatch <= 0 ? Math.max(1, prefetch / 4) : Math.min(ackBatch, prefetch);
        ackLinger = ackLinger == null ? Duration.ofMillis(2) : ackLinger;
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }
}
