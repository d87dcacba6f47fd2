package com.orderintel.advisor.model;

import com.orderintel.registry.ModelStore;
import com.orderintel.registry.lifecycle.AmqpLifecycleEvents;
import com.orderintel.registry.lifecycle.AnnouncingModelStore;
import com.orderintel.registry.lifecycle.BrokerSettings;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas following alias moves through the registry's lifecycle events (real RabbitMQ, an exchange of the test's
 * own, the poll switched off so only an event can move them): two replicas on one registry each swap within moments
 * of a promotion and a rollback; a move of an alias they do not serve is ignored; hostile messages are dropped
 * without stalling the subscriber; with the broker away nothing fails and the poll's check still moves them.
 */
class AliasEventsTest {

    static final String BROKER = "amqp://guest:guest@127.0.0.1:5672";

    @TempDir
    Path dir;

    /** One replica: its own served models, lifecycle, watcher and subscription, on the shared registry. */
    private record Replica(WatcherRig rig, AliasWatcher watcher, AliasEvents events) implements AutoCloseable {
        static Replica start(Path registry, String amqpUri, String exchange) {
            WatcherRig rig = new WatcherRig(registry);
            ModelProperties properties = WatcherRig.properties(rig.uri("production"), Duration.ZERO, null);
            ModelLifecycle lifecycle = new ModelLifecycle(properties, rig.loading, rig.served);
            AliasWatcher watcher = new AliasWatcher(properties, rig.served, lifecycle, rig.meters);
            rig.served.install(rig.loading.loadAll(properties.configured(), ModelLifecycle.EXPECTED_SLOTS));
            AliasEvents events = new AliasEvents(new AliasEventsProperties(amqpUri, exchange), watcher, rig.meters);
            events.start();
            return new Replica(rig, watcher, events);
        }

        String version() {
            return WatcherRig.version(rig.served);
        }

        double events(String outcome) {
            return rig.meters.get("advisor.model.alias.events").tag("outcome", outcome).meter().measure().iterator().next().getValue();
        }

        @Override
        public void close() {
            events.stop();
        }
    }

    @Test
    void twoReplicasFollowEveryMoveAtOnceAndIgnoreOtherAliases() throws Exception {
        String exchange = "test.lifecycle.advisor." + UUID.randomUUID();
        Path registry = dir.resolve("registry");
        new WatcherRig(registry).store.promote("order-anomaly", "production", "v1");
        try (Replica a = Replica.start(registry, BROKER, exchange); Replica b = Replica.start(registry, BROKER, exchange);
             ModelStore store = new AnnouncingModelStore(new WatcherRig(registry).store,
                     new AmqpLifecycleEvents(new BrokerSettings(BROKER, exchange, null)))) {
            await(() -> a.events.connected() && b.events.connected(), 20_000);
            assertThat(a.version()).isEqualTo("v1");

            for (String target : List.of("v2", "v1", "v2")) {
                long start = System.nanoTime();
                if (target.equals("v1")) {
                    store.rollback("order-anomaly", "production", "test");
                } else {
                    store.promote("order-anomaly", "production", target, "test");
                }
                await(() -> target.equals(a.version()) && target.equals(b.version()), 5000);
                System.out.printf("alias move to %s reached both replicas in %d ms%n", target, (System.nanoTime() - start) / 1_000_000);
            }
            assertThat(a.events("check")).isEqualTo(3);

            store.promote("order-anomaly", "staging", "v1", "test"); // an alias neither serves
            await(() -> a.events("ignored") == 1 && b.events("ignored") == 1, 5000);
            assertThat(a.version()).isEqualTo("v2");
            deleteExchange(exchange);
        }
    }

    @Test
    @Tag("attack")
    void hostileMessagesAreDroppedAndTheNextMoveStillArrives() throws Exception {
        String exchange = "test.lifecycle.advisor." + UUID.randomUUID();
        Path registry = dir.resolve("registry");
        WatcherRig publisher = new WatcherRig(registry);
        publisher.store.promote("order-anomaly", "production", "v1");
        try (Replica a = Replica.start(registry, BROKER, exchange); Connection c = connect(); Channel ch = c.createChannel()) {
            await(a.events::connected, 20_000);
            String good = """
                    {"schemaVersion":"1","eventId":"e-%s","type":"alias.promoted","at":"2026-12-07T05:00:00Z",
                     "model":"order-anomaly","version":"v2","alias":"production","from":"v1"}""";
            List<byte[]> hostile = List.of(new byte[1 << 20], "{".getBytes(StandardCharsets.UTF_8),
                    good.formatted(1).replace("\"order-anomaly\"", "\"../order-anomaly\"").getBytes(StandardCharsets.UTF_8),
                    good.formatted(2).replace("\"production\"", "\"production\\u0000\"").getBytes(StandardCharsets.UTF_8),
                    good.formatted(3).replace("alias.promoted", "alias.nuked").getBytes(StandardCharsets.UTF_8),
                    ("{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8));
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().build();
            for (byte[] body : hostile) {
                ch.basicPublish(exchange, "alias.promoted.order-anomaly", props, body);
            }
            publisher.store.promote("order-anomaly", "production", "v2");
            ch.basicPublish(exchange, "alias.promoted.order-anomaly", props, good.formatted(4).getBytes(StandardCharsets.UTF_8));

            await(() -> "v2".equals(a.version()), 5000);
            assertThat(a.events("invalid")).isEqualTo(hostile.size());
            assertThat(a.events("check")).isEqualTo(1);
            deleteExchange(exchange);
        }
    }

    @Test
    void withTheBrokerAwayStartIsImmediateAndThePollStillMovesTheReplica() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path registry = dir.resolve("registry");
        WatcherRig publisher = new WatcherRig(registry);
        publisher.store.promote("order-anomaly", "production", "v1");
        long start = System.nanoTime();
        try (Replica a = Replica.start(registry, "amqp://guest:guest@127.0.0.1:" + port, null)) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("start does not wait for the broker")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(a.events.connected()).isFalse();
            assertThat(a.rig.meters.get("advisor.model.alias.events.connected").gauge().value()).isZero();
            publisher.store.promote("order-anomaly", "production", "v2");
            a.watcher.refresh(); // what the scheduled poll runs
            assertThat(a.version()).isEqualTo("v2");
        }
    }

    private static Connection connect() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(BROKER);
        return f.newConnection("alias events test");
    }

    private static void deleteExchange(String exchange) throws Exception {
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            ch.exchangeDelete(exchange);
        }
    }

    static void await(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + millis + " ms");
            }
            Thread.sleep(10);
        }
    }
}
