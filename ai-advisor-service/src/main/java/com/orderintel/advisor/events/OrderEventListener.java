package com.orderintel.advisor.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * Consumes order-service's {@code order.created} events: score, alert when anomalous, then ack.
 * <ul>
 *   <li>unparseable or invalid event: straight to the dead-letter queue with the reason in {@code x-advisor-error};</li>
 *   <li>transient failure (no model yet, no publisher confirm): bounded retries with back-off, then the
 *   message is requeued once more or, after {@code maxAttempts} redeliveries, dead-lettered;</li>
 *   <li>a redelivered order id already handled is acked without a second alert.</li>
 * </ul>
 * The ack happens only after the alert (or dead letter) is confirmed by the broker, so a crash in between
 * means redelivery, never loss.
 */
class OrderEventListener {

    private static final Logger log = LoggerFactory.getLogger(OrderEventListener.class);

    private final OrderScorer scorer;
    private final AlertPublisher publisher;
    private final EventMetrics metrics;
    private final ProcessedOrders processed;
    private final EventsProperties properties;
    private final ObjectMapper json;

    OrderEventListener(OrderScorer scorer, AlertPublisher publisher, EventMetrics metrics, ProcessedOrders processed,
                       EventsProperties properties, ObjectMapper json) {
        this.scorer = scorer;
        this.publisher = publisher;
        this.metrics = metrics;
        this.processed = processed;
        this.properties = properties;
        this.json = json;
    }

    @RabbitListener(id = "order-events", queues = "${advisor.events.queue:ai-advisor.order-created}",
            containerFactory = "orderEventsContainerFactory")
    void onMessage(Message message, Channel channel) throws IOException {
        long start = System.nanoTime();
        long tag = message.getMessageProperties().getDeliveryTag();
        metrics.consumed();
        JsonNode payload;
        OrderCreatedEvent event;
        try {
            payload = json.readTree(message.getBody());
            if (payload == null || !payload.isObject()) {
                throw new PoisonMessageException("body is not a JSON object");
            }
            event = json.treeToValue(payload, OrderCreatedEvent.class);
            if (event.id() == null || event.id().isBlank()) {
                throw new PoisonMessageException("field 'id' is missing");
            }
            if (event.quantity() != null && event.quantity() < 0) {
                throw new PoisonMessageException("field 'quantity' is negative");
            }
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof PoisonMessageException ? e.getMessage()
                    : "unparseable JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            deadLetter(message, channel, tag, "poison", reason, 1);
            return;
        }
        if (!processed.tryClaim(event.id())) {
            metrics.duplicate();
            channel.basicAck(tag, false);
            return;
        }
        Exception last = null;
        for (int attempt = 1; attempt <= properties.maxAttempts(); attempt++) {
            try {
                var scored = scorer.score(event);
                if (scored.isEmpty()) {
                    throw new AlertPublisher.NotConfirmedException("no anomaly model is loaded yet");
                }
                var s = scored.get();
                if (s.result().anomalous()) {
                    publisher.publishAlert(new OrderMonitoringAlert(1, UUID.randomUUID().toString(), event.id(), true,
                            s.result().score(), s.result().approxProbability(),
                            new OrderMonitoringAlert.ModelInfo(s.model().name(), s.model().version()),
                            s.features(), s.imputed(), payload, Instant.now()));
                    metrics.alertPublished();
                }
                channel.basicAck(tag, false);
                metrics.processed(System.nanoTime() - start);
                return;
            } catch (PoisonMessageException e) {
                processed.release(event.id());
                deadLetter(message, channel, tag, "invalid", e.getMessage(), attempt);
                return;
            } catch (AlertPublisher.NotConfirmedException e) {
                last = e;
                metrics.retried();
                sleep(properties.retryBackoff().toMillis() * attempt);
            }
        }
        processed.release(event.id());
        deadLetter(message, channel, tag, "retries_exhausted",
                "gave up after " + properties.maxAttempts() + " attempts: " + last.getMessage(), properties.maxAttempts());
    }

    private void deadLetter(Message message, Channel channel, long tag, String kind, String reason, int attempts) throws IOException {
        try {
            publisher.deadLetter(message, reason, attempts);
            metrics.deadLettered(kind);
            log.warn("order event dead-lettered ({}): {}", kind, reason);
            channel.basicAck(tag, false);
        } catch (AlertPublisher.NotConfirmedException e) {
            // Could not even dead-letter it: reject without requeue so the queue's own DLX keeps it (no loss, no loop).
            log.warn("dead-letter publish not confirmed ({}); rejecting to the queue's dead-letter exchange", e.getMessage());
            metrics.deadLettered(kind);
            channel.basicReject(tag, false);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
