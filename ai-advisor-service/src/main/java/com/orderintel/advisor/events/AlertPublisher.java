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

    /** The broker did not confirm (nack, timeout, unroutable): the caller retries or requeues. */
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

    void publishAlert(OrderMonitoringAlert alert) throws NotConfirmedException {
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
        send(properties.exchange(), properties.alertRoutingKey(), message);
    }

    /** Sends the original message to the dead-letter queue with the reason in a header. */
    void deadLetter(Message original, String reason, int attempts) throws NotConfirmedException {
        Message copy = MessageBuilder.fromMessage(original)
                .setHeader(ERROR_HEADER, reason.length() > 1000 ? reason.substring(0, 1000) : reason)
                .setHeader(ATTEMPTS_HEADER, attempts)
                .setHeader("x-advisor-source-queue", properties.queue())
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .build();
        send(properties.deadLetterExchange(), properties.deadLetterQueue(), copy);
    }

    private void send(String exchange, String routingKey, Message message) throws NotConfirmedException {
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        template.send(exchange, routingKey, message, correlation);
        CorrelationData.Confirm confirm;
        try {
            confirm = correlation.getFuture().get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NotConfirmedException("no publisher confirm within " + properties.confirmTimeout());
        } catch (ExecutionException e) {
            throw new NotConfirmedException("publish failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotConfirmedException("interrupted while waiting for the publisher confirm");
        }
        if (!confirm.isAck()) {
            throw new NotConfirmedException("broker nacked the message: " + confirm.getReason());
        }
        if (correlation.getReturned() != null) {
            throw new NotConfirmedException("unroutable: no queue bound to " + exchange + " / " + routingKey);
        }
    }
}
