package com.orderintel.advisor.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.AmqpAdmin;

import java.util.concurrent.TimeUnit;

/** Consumer metrics: consumed, alerts, dead letters by reason, duplicates, latency and queue depth (lag). */
class EventMetrics {

    private final MeterRegistry registry;
    private final Counter consumed;
    private final Counter alerts;
    private final Counter duplicates;
    private final Counter retries;
    private final Timer latency;

    EventMetrics(MeterRegistry registry, AmqpAdmin admin, String queue) {
        this.registry = registry;
        this.consumed = Counter.builder("advisor.events.consumed").description("order.created events handled").register(registry);
        this.alerts = Counter.builder("advisor.alerts.published").description("order.monitoring alerts confirmed by the broker").register(registry);
        this.duplicates = Counter.builder("advisor.events.duplicates").description("redelivered events skipped by order id").register(registry);
        this.retries = Counter.builder("advisor.events.retries").description("transient failures retried").register(registry);
        this.latency = Timer.builder("advisor.events.processing").description("receive to ack")
                .publishPercentileHistogram().register(registry);
        // Queue depth is the consumer's lag; read from the broker when scraped.
        Gauge.builder("advisor.events.queue.depth", admin, a -> {
            QueueInformation info = a.getQueueInfo(queue);
            return info == null ? Double.NaN : info.getMessageCount();
        }).description("messages waiting in the advisor's order-created queue").register(registry);
    }

    void consumed() {
        consumed.increment();
    }

    void alertPublished() {
        alerts.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void retried() {
        retries.increment();
    }

    void deadLettered(String reason) {
        Counter.builder("advisor.events.dead.lettered").tag("reason", reason).register(registry).increment();
    }

    void processed(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }
}
