package com.orderintel.registry.lifecycle;

import com.orderintel.registry.ModelUri;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes lifecycle events to the topic exchange of {@link BrokerSettings} (declared durable) with the routing key
 * {@link LifecycleEvent#routingKey()}: persistent JSON messages ({@link LifecycleEventCodec}), headers
 * {@value #HEADER_EVENT_ID}, {@value #HEADER_EVENT_TYPE}, {@value #HEADER_SCHEMA_VERSION} (and the same id and type
 * as the AMQP message-id and type), each waited for until the broker confirms it, at most the settings' timeout.
 *
 * <p>Never throws: the move already happened in the store, which is the record; a broker that is away, refuses or
 * does not confirm in time is logged, counted ({@link #failed()}) and the event handed to the fallback (the registry
 * server gives it straight to its webhook dispatcher; the CLI has none: replicas follow through their poll). After a
 * failure the broker is not tried again for {@link #RETRY_AFTER_MILLIS}, so a burst of moves during an outage costs
 * one timeout, not one each. The connection is opened on the first event (a read-only command never connects) and
 * kept; calls are serialised (one channel in confirm mode).
 */
public final class AmqpLifecycleEvents implements LifecycleEvents, AutoCloseable {

    public static final String HEADER_EVENT_ID = "event-id";
    public static final String HEADER_EVENT_TYPE = "event-type";
    public static final String HEADER_SCHEMA_VERSION = "schema-version";
    static final long RETRY_AFTER_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(AmqpLifecycleEvents.class);

    private final BrokerSettings settings;
    private final ConnectionFactory factory;
    private final LifecycleEvents fallback;
    private final LongAdder published = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private Connection connection;
    private Channel channel;
    private long notBefore;
    private volatile String lastError;
    private String brokerError;

    public AmqpLifecycleEvents(BrokerSettings settings) {
        this(settings, LifecycleEvents.none());
    }

    /** With {@code fallback} receiving every event the broker did not confirm. */
    public AmqpLifecycleEvents(BrokerSettings settings, LifecycleEvents fallback) {
        this.settings = settings;
        this.fallback = fallback;
        this.factory = settings.connectionFactory();
        this.factory.setAutomaticRecoveryEnabled(false); // a failed publish reconnects on the next event instead
    }

    @Override
    public void publish(LifecycleEvent event) {
        if (!send(event)) {
            try {
                fallback.publish(event);
            } catch (RuntimeException e) {
                log.warn("lifecycle event {} not handed to the fallback either: {}", event.eventId(), e.toString());
            }
        }
    }

    /** True once the broker confirmed the event; false (logged, counted) otherwise. Never throws. */
    public synchronized boolean send(LifecycleEvent event) {
        byte[] body;
        try {
            body = LifecycleEventCodec.write(event);
        } catch (RuntimeException e) {
            return failed(event, "the event is malformed: " + e.getMessage());
        }
        if (System.nanoTime() - notBefore < 0) {
            return failed(event, "the broker failed moments ago, not retried yet (" + brokerError + ")");
        }
        try {
            Channel ch = channel();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .contentType("application/json").contentEncoding("utf-8")
                    .deliveryMode(2)                      // persistent
                    .messageId(event.eventId()).type(event.type())
                    .timestamp(Date.from(event.at()))
                    .appId("model-registry")
                    .headers(Map.of(HEADER_EVENT_ID, event.eventId(), HEADER_EVENT_TYPE, event.type(),
                            HEADER_SCHEMA_VERSION, LifecycleEvent.SCHEMA_VERSION))
                    .build();
            ch.basicPublish(settings.exchange(), event.routingKey(), props, body);
            ch.waitForConfirmsOrDie(settings.timeout().toMillis());
            published.increment();
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeQuietly();
            notBefore = System.nanoTime() + RETRY_AFTER_MILLIS * 1_000_000;
            brokerError = "broker " + settings.redactedUri() + " did not confirm it: "
                    + ModelUri.redact(e.getMessage() != null ? e.getMessage() : e.toString());
            return failed(event, brokerError);
        }
    }

    private boolean failed(LifecycleEvent event, String why) {
        failed.increment();
        lastError = why;
        log.warn("lifecycle event {} {} of {} not sent: {}; the store has the move, replicas follow through their poll",
                event.type(), event.eventId(), event.model(), why);
        return false;
    }

    private Channel channel() throws Exception {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        closeQuietly();
        connection = factory.newConnection("model-registry lifecycle events");
        channel = connection.createChannel();
        channel.exchangeDeclare(settings.exchange(), BuiltinExchangeType.TOPIC, true);
        channel.confirmSelect();
        return channel;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close((int) settings.timeout().toMillis());
            } catch (Exception | Error e) {
                log.debug("closing the lifecycle events connection: {}", e.toString());
            }
        }
        connection = null;
        channel = null;
    }

    /** Events the broker confirmed. */
    public long published() {
        return published.sum();
    }

    /** Events not confirmed (broker away, refused, timed out, malformed). */
    public long failed() {
        return failed.sum();
    }

    /** Why the last event failed, or null. */
    public String lastError() {
        return lastError;
    }

    public BrokerSettings settings() {
        return settings;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
