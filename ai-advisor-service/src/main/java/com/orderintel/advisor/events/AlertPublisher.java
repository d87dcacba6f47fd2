package com.orderintel.advisor.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

import java.util.concurrent.CompletableFuture;

/**
 * Builds alerts and dead letters and publishes them with publisher confirms, so the consumer acks an event
 * only after what it produced is safely in RabbitMQ. A message returned as unroutable counts as not delivered.
 */
class AlertPublisher {

    /** The broker did not take the message (nack, timeout, unroutable, channel lost): retried, then dead-lettered. */
    static final class NotConfirmedException extends Exception {
        NotConfirmedException(String message) {
            super(message);
        }
    }

    static final String ERROR_HEADER = "x-advisor-error";
    static final String ATTEMPTS_HEADER = "x-advisor-attempts";

    private final ConfirmedPublisher publisher;
    private final EventsProperties properties;
    /** Resolved once for the alert type, not looked up per alert. */
    private final ObjectWriter alertWriter;

    AlertPublisher(ConfirmedPublisher publisher, EventsProperties properties, ObjectMapper json) {
        this.publisher = publisher;
        this.properties = properties;
        this.alertWriter = json.writerFor(OrderMonitoringAlert.class);
    }

    /** Publishes and completes when the broker confirms; completes exceptionally on nack, return or timeout. */
    CompletableFuture<Void> publishAlertAsync(OrderMonitoringAlert alert) {
        return confirmed(properties.exchange(), properties.alertRoutingKey(), alertMessage(alert));
    }

    /** Sends the original message to the dead-letter queue with the reason in a header; completes when confirmed. */
    CompletableFuture<Void> deadLetterAsync(Message original, String reason, int attempts) {
        return confirmed(properties.deadLetterExchange(), properties.deadLetterQueue(), deadLetterMessage(original, reason, attempts));
    }

    /** The publisher fails the future itself when no confirm comes within the confirm timeout. */
    private CompletableFuture<Void> confirmed(String exchange, String routingKey, Message message) {
        return publisher.publish(exchange, routingKey, message);
    }

    private Message alertMessage(OrderMonitoringAlert alert) {
        byte[] body;
        try {
            body = alertWriter.writeValueAsBytes(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert is always serialisable", e);
        }
        return MessageBuilder.withBody(body)
                .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(alert.alertId())
                .setHeader("order_id", alert.orderId())
                .build();
    }

    private Message deadLetterMessage(Message original, String reason, int attempts) {
        return MessageBuilder.fromMessage(original)
                .setHeader(ERROR_HEADER, reason.length() > 1000 ? reason.substring(0, 1000) : reason)
                .setHeader(ATTEMPTS_HEADER, attempts)
                .setHeader("x-advisor-source-queue", properties.queue())
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .build();
    }
}
