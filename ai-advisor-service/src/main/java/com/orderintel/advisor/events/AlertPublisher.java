package com.orderintel.advisor.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes alerts and dead letters and waits for the broker's publisher confirm, so the consumer acks an
 * event only after what it produced is safely in RabbitMQ. A message returned as unroutable counts as not
 * delivered.
 */
class AlertPublisher {

    /** The broker did not confirm (nack, timeout, unroutable): the caller retries, then dead-letters. */
    static final class NotConfirmedException extends Exception {
        NotConfirmedException(String message) {
            super(message);
        }
    }

    static final String ERROR_HEADER = "x-advisor-error";
    static final String ATTEMPTS_HEADER = "x-advisor-attempts";

    private final RabbitTemplate template;
    private final EventsProperties properties;
    private final ObjectMapper json;

    AlertPublisher(RabbitTemplate template, EventsProperties properties, ObjectMapper json) {
        this.template = template;
        this.properties = properties;
        this.json = json;
        template.setMandatory(true);
    }

    /** Publishes and completes when the broker confirms; completes exceptionally on nack, return or timeout. */
    java.util.concurrent.CompletableFuture<Void> publishAlertAsync(OrderMonitoringAlert alert) {
        return sendAsync(properties.exchange(), properties.alertRoutingKey(), alertMessage(alert));
    }

    /** Sends the original message to the dead-letter queue with the reason in a header; completes when confirmed. */
    java.util.concurrent.CompletableFuture<Void> deadLetterAsync(Message original, String reason, int attempts) {
        return sendAsync(properties.deadLetterExchange(), properties.deadLetterQueue(), deadLetterMessage(original, reason, attempts));
    }

    private java.util.concurrent.CompletableFuture<Void> sendAsync(String exchange, String routingKey, Message message) {
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        try {
            template.send(exchange, routingKey, message, correlation);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(new NotConfirmedException("publish failed: " + e.getMessage()));
        }
        return correlation.getFuture()
                .orTimeout(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((confirm, error) -> {
                    if (error != null) {
                        throw new java.util.concurrent.CompletionException(new NotConfirmedException(
                                error instanceof TimeoutException ? "no publisher confirm within " + properties.confirmTimeout()
                                        : "publish failed: " + error));
                    }
                    if (!confirm.isAck()) {
                        throw new java.util.concurrent.CompletionException(new NotConfirmedException("broker nacked the message: " + confirm.getReason()));
                    }
                    if (correlation.getReturned() != null) {
                        throw new java.util.concurrent.CompletionException(new NotConfirmedException(
                                "unroutable: no queue bound to " + exchange + " / " + routingKey));
                    }
                    return null;
                });
    }

    private Message alertMessage(OrderMonitoringAlert alert) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert is always serialisable", e);
        }
        Message message = MessageBuilder.withBody(body)
                .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(alert.alertId())
                .setHeader("order_id", alert.orderId())
                .build();
        return message;
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
