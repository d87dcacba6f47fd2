package com.orderintel.registry.lifecycle;

import com.orderintel.registry.ModelNames;
import com.orderintel.registry.ModelUri;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.recovery.AutorecoveringConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Consumes lifecycle events from the exchange of {@link BrokerSettings} and hands each valid one to a handler, with the
 * plain RabbitMQ client (no Spring), so the registry server (its own durable queue, feeding the webhook dispatcher) and
 * each service replica (a server-named, exclusive, auto-delete queue of its own) share one implementation.
 *
 * <p>Every body is hostile ({@link LifecycleEventCodec#read}): one that is too large or invalid is logged (quoted,
 * cut) and dropped (rejected without requeue), counted in {@link #invalid()}; a handler that throws is logged and
 * counted in {@link #handlerFailures()}. Neither stalls the queue: each message is acked or rejected once.
 *
 * <p>{@link #start()} never blocks and never throws: the first connection is tried in the background, again every
 * few seconds while the broker is away; once connected, the client's automatic recovery re-declares the queue (a
 * server-named one under a new name), its bindings and the consumer after a broker restart. {@code onConnected} runs
 * after the first connection and after every recovery: events sent meanwhile were missed, so a caller may look at the
 * store once.
 */
public final class LifecycleSubscriber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LifecycleSubscriber.class);
    private static final long MAX_RETRY_MILLIS = 30_000;

    /**
     * The queue to consume from: a durable one by name (survives restarts, events wait while the consumer is down),
     * or, with a null name, a server-named, exclusive, auto-delete one that lives as long as the connection.
     */
    public record QueueSpec(String durableName) {
        public static QueueSpec durable(String name) {
            return new QueueSpec(Objects.requireNonNull(name));
        }

        public static QueueSpec exclusive() {
            return new QueueSpec(null);
        }
    }

    private final BrokerSettings settings;
    private final QueueSpec queue;
    private final List<String> bindingKeys;
    private final Consumer<LifecycleEvent> handler;
    private final Runnable onConnected;
    private final LongAdder received = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder handlerFailures = new LongAdder();
    private volatile Connection connection;
    private volatile String queueName;
    private volatile boolean closed;
    private Thread starter;

    /**
     * @param bindingKeys routing-key patterns, e.g. {@code alias.#} for alias moves, {@code #} for everything
     * @param onConnected run after the first connection and every recovery (may be a no-op)
     */
    public LifecycleSubscriber(BrokerSettings settings, QueueSpec queue, List<String> bindingKeys,
                               Consumer<LifecycleEvent> handler, Runnable onConnected) {
        if (bindingKeys.isEmpty()) {
            throw new IllegalArgumentException("lifecycle subscriber: no binding key");
        }
        this.settings = settings;
        this.queue = queue;
        this.bindingKeys = List.copyOf(bindingKeys);
        this.handler = handler;
        this.onConnected = onConnected;
    }

    /** Connects in the background (retrying while the broker is away); returns at once. */
    public synchronized LifecycleSubscriber start() {
        if (starter == null) {
            starter = Thread.ofPlatform().daemon().name("lifecycle-subscriber").start(this::connectUntilDone);
        }
        return this;
    }

    private void connectUntilDone() {
        long wait = 1000;
        while (!closed) {
            try {
                connect();
                return;
            } catch (Exception e) {
                log.warn("lifecycle events: broker {} not reachable ({}); retrying in {} ms, the poll covers meanwhile",
                        settings.redactedUri(), ModelUri.redact(String.valueOf(e.getMessage())), wait);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException ie) {
                    return;
                }
                wait = Math.min(MAX_RETRY_MILLIS, wait * 2);
            }
        }
    }

    private void connect() throws Exception {
        ConnectionFactory factory = settings.connectionFactory();
        // nobody waits on this connection (it is made in the background): a slow broker gets more than the publisher's bound
        factory.setConnectionTimeout(Math.max(factory.getConnectionTimeout(), 10_000));
        factory.setHandshakeTimeout(Math.max(factory.getHandshakeTimeout(), 10_000));
        Connection c = factory.newConnection("lifecycle subscriber");
        try {
            Channel ch = c.createChannel();
            ch.exchangeDeclare(settings.exchange(), BuiltinExchangeType.TOPIC, true);
            String name = queue.durableName() != null
                    ? ch.queueDeclare(queue.durableName(), true, false, false, Map.of()).getQueue()
                    : ch.queueDeclare().getQueue(); // server-named, exclusive, auto-delete
            for (String key : bindingKeys) {
                ch.queueBind(name, settings.exchange(), key);
            }
            ch.basicQos(32);
            ch.basicConsume(name, false, new Deliveries(ch));
            if (c instanceof Recoverable r) {
                r.addRecoveryListener(new RecoveryListener() {
                    @Override
                    public void handleRecovery(Recoverable recoverable) {
                        log.info("lifecycle events: reconnected to {}", settings.redactedUri());
                        runOnConnected();
                    }

                    @Override
                    public void handleRecoveryStarted(Recoverable recoverable) {
                        log.warn("lifecycle events: connection to {} lost; recovering", settings.redactedUri());
                    }
                });
            }
            if (c instanceof AutorecoveringConnection ac) {
                ac.addQueueRecoveryListener((before, after) -> queueName = after); // a server-named queue is renamed
            }
            queueName = name;
            connection = c;
            if (closed) {
                close();
                return;
            }
            log.info("lifecycle events: consuming {} from exchange {} ({}) on {}", bindingKeys, settings.exchange(),
                    queue.durableName() != null ? "queue " + name : "exclusive queue", settings.redactedUri());
            runOnConnected();
        } catch (Exception e) {
            try {
                c.abort();
            } catch (RuntimeException ignored) {
                // already gone
            }
            throw e;
        }
    }

    private void runOnConnected() {
        try {
            onConnected.run();
        } catch (RuntimeException e) {
            log.warn("lifecycle events: the on-connect action failed: {}", e.toString());
        }
    }

    private final class Deliveries extends DefaultConsumer {
        Deliveries(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            received.increment();
            LifecycleEvent event;
            try {
                event = LifecycleEventCodec.read(body);
            } catch (LifecycleEventCodec.InvalidEventException e) {
                invalid.increment();
                log.warn("lifecycle events: dropped an invalid message (routing key {}): {}",
                        ModelNames.quote(envelope.getRoutingKey(), 100), e.getMessage());
                settle(envelope, false);
                return;
            }
            try {
                handler.accept(event);
            } catch (RuntimeException e) {
                handlerFailures.increment();
                log.warn("lifecycle events: handling {} {} failed: {}", event.type(), event.eventId(), e.toString());
            }
            settle(envelope, true);
        }

        private void settle(Envelope envelope, boolean ack) {
            try {
                if (ack) {
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                } else {
                    getChannel().basicReject(envelope.getDeliveryTag(), false);
                }
            } catch (Exception e) {
                log.debug("lifecycle events: settling a delivery failed (the broker redelivers it): {}", e.toString());
            }
        }
    }

    /** True while connected and consuming. */
    public boolean connected() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    /** The queue consumed from (the server's name for an exclusive one), or null while not connected. */
    public String queueName() {
        return queueName;
    }

    /** Messages delivered, valid or not. */
    public long received() {
        return received.sum();
    }

    /** Messages dropped as invalid. */
    public long invalid() {
        return invalid.sum();
    }

    /** Valid events whose handler threw. */
    public long handlerFailures() {
        return handlerFailures.sum();
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = starter;
        }
        if (t != null) {
            t.interrupt();
        }
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close((int) settings.timeout().toMillis());
            } catch (Exception | Error e) {
                log.debug("closing the lifecycle subscriber: {}", e.toString());
            }
        }
    }
}
