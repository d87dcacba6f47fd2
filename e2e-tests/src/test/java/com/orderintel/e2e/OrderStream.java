package com.orderintel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Order-service's side of the event scenarios, on the suite's private broker: its topic exchange, an alerts queue
 * standing in for the alert consumer, a steady flow of {@code order.created} events published persistent with
 * publisher confirms (an event counts as "in" once the broker confirmed it), and every alert recorded by its
 * {@code alert_id} per order id (so a redelivery to this consumer is not mistaken for a duplicate alert).
 */
final class OrderStream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String exchange = "order.exchange.faults-" + run;
    final String queue = "ai-advisor.order-created.faults-" + run;
    final String deadLetterExchange = "ai-advisor.dlx.faults-" + run;
    final String deadLetterQueue = queue + ".dlq";
    final String alerts = "alerts.faults-" + run;

    /** Order ids whose event the broker confirmed. */
    final Set<String> sent = ConcurrentHashMap.newKeySet();
    /** Distinct alert ids per order id. */
    final Map<String, Set<String>> alerted = new ConcurrentHashMap<>();

    private final int[] ports;
    private final Connection connection;
    private final Channel publisher;
    private final Channel consumer;

    OrderStream(int port) throws Exception {
        this(new int[]{port});
    }

    /**
     * On a cluster, {@code ports} are its nodes: the connection takes the first that answers and recovers to another;
     * the alerts queue is then a quorum queue, so the alert consumer's queue survives the loss of a node too.
     */
    OrderStream(int[] ports) throws Exception {
        this.ports = ports.clone();
        ConnectionFactory f = new ConnectionFactory();
        f.setNetworkRecoveryInterval(500); // automatic recovery (on by default) re-registers the alert consumer
        List<Address> addresses = new ArrayList<>();
        for (int p : ports) {
            addresses.add(new Address("127.0.0.1", p));
        }
        connection = f.newConnection(addresses, "faults-order-service");
        publisher = connection.createChannel();
        publisher.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        publisher.queueDeclare(alerts, true, false, false, ports.length > 1 ? Map.of("x-queue-type", "quorum") : null);
        publisher.queueBind(alerts, exchange, "order.monitoring");
        consumer = connection.createChannel();
        consumer.basicQos(500);
        consumer.basicConsume(alerts, false, new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) throws IOException {
                JsonNode alert = JSON.readTree(body);
                alerted.computeIfAbsent(alert.get("order_id").asText(), k -> ConcurrentHashMap.newKeySet())
                        .add(alert.get("alert_id").asText());
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }

    /** The service's {@code ADVISOR_EVENTS_*} and broker settings for these names. */
    Map<String, String> serviceEnv(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("ADVISOR_EVENTS_ENABLED", "true");
        env.put("ADVISOR_EVENTS_EXCHANGE", exchange);
        env.put("ADVISOR_EVENTS_QUEUE", queue);
        env.put("ADVISOR_EVENTS_DEAD_LETTER_EXCHANGE", deadLetterExchange);
        env.put("ADVISOR_EVENTS_DEAD_LETTER_QUEUE", deadLetterQueue);
        if (ports.length > 1) { // the cluster's address list: the service connects to the first node up
            StringJoiner list = new StringJoiner(",");
            for (int p : ports) {
                list.add("127.0.0.1:" + p);
            }
            env.put("SPRING_RABBITMQ_ADDRESSES", list.toString());
        } else {
            env.put("SPRING_RABBITMQ_HOST", "127.0.0.1");
            env.put("SPRING_RABBITMQ_PORT", String.valueOf(port));
        }
        env.put("SPRING_RABBITMQ_USERNAME", "guest");
        env.put("SPRING_RABBITMQ_PASSWORD", "guest");
        return env;
    }

    private volatile boolean flowing;
    private Thread flow;
    /** Batches whose confirm did not come (broker away) and were published again: the producer's at-least-once. */
    final java.util.concurrent.atomic.AtomicInteger republished = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Starts publishing order.created events that the fixture model flags (slow processing, low payment score) on a
     * thread of its own, {@code perSecond} a second in batches of 50, persistent, each batch confirmed by the broker
     * before its ids count as "in". While the broker is away a batch fails and is published again once it is back,
     * as order-service's outbox would; a copy that did reach the queue is a redelivery for the service to skip.
     */
    void startFlow(String prefix, int perSecond) {
        flowing = true;
        flow = Thread.ofPlatform().name("order-service-flow").start(() -> {
            Channel channel = null;
            List<String> batch = new ArrayList<>();
            int next = 0;
            long periodNanos = 50L * 1_000_000_000L / perSecond;
            while (flowing) {
                long t0 = System.nanoTime();
                if (batch.isEmpty()) {
                    for (int i = 0; i < 50; i++) {
                        batch.add(prefix + "-" + run + "-" + next++);
                    }
                }
                try {
                    if (channel == null || !channel.isOpen()) {
                        channel = connection.createChannel();
                        channel.confirmSelect();
                    }
                    for (String id : batch) {
                        channel.basicPublish(exchange, "order.created", PROPS, body(id));
                    }
                    channel.waitForConfirmsOrDie(10_000);
                    sent.addAll(batch);
                    batch.clear();
                    long left = periodNanos - (System.nanoTime() - t0);
                    if (left > 0) {
                        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    republished.addAndGet(batch.size());
                    channel = null;
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
    }

    /** Stops the flow after the batch in hand (bounded wait). */
    void stopFlow() throws InterruptedException {
        flowing = false;
        flow.join(30_000);
    }

    private static final AMQP.BasicProperties PROPS = new AMQP.BasicProperties.Builder().contentType("application/json")
            .deliveryMode(2).headers(Map.of("__TypeId__", "com.shop.orderservice.dto.OrderCreatedEvent")).build();

    private static byte[] body(String id) {
        return ("{\"id\":\"" + id + "\",\"productId\":\"SKU-1\",\"quantity\":40,\"status\":\"CREATED\","
                + "\"avgProcessingMs\":7000,\"paymentScore\":0.05}").getBytes(StandardCharsets.UTF_8);
    }

    int alertsOut() {
        return alerted.values().stream().mapToInt(Set::size).sum();
    }

    int lost() {
        return (int) sent.stream().filter(id -> !alerted.containsKey(id)).count();
    }

    int duplicateAlerts() {
        return alerted.values().stream().mapToInt(s -> s.size() - 1).sum();
    }

    /** Waits (bounded) until every sent event has an alert, then a little longer for late duplicates. */
    void awaitAllAlerted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lost() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2_000);
    }

    long depth(String queueName) throws Exception {
        try (Channel c = connection.createChannel()) {
            return c.queueDeclarePassive(queueName).getMessageCount();
        }
    }

    /** Consumers on a queue now (the service's, once reconnected). */
    int consumers(String queueName) throws Exception {
        try (Channel c = connection.createChannel()) {
            return c.queueDeclarePassive(queueName).getConsumerCount();
        }
    }

    @Override
    public void close() throws Exception {
        try (Channel c = connection.createChannel()) {
            for (String q : new String[]{queue, deadLetterQueue, alerts}) {
                c.queueDelete(q);
            }
            c.exchangeDelete(exchange);
            c.exchangeDelete(deadLetterExchange);
        } finally {
            connection.close();
        }
    }
}
