package com.orderintel.registryserver.webhook;

import com.orderintel.registry.Manifests;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import com.orderintel.registry.lifecycle.AmqpLifecycleEvents;
import com.orderintel.registry.lifecycle.AnnouncingModelStore;
import com.orderintel.registry.lifecycle.BrokerSettings;
import com.orderintel.registry.lifecycle.LifecycleEventCodec;
import com.orderintel.registry.lifecycle.WebhookSignature;
import com.orderintel.registryserver.ConsoleFixture;
import com.orderintel.registryserver.ServerTestBase;
import com.orderintel.registryserver.approval.AliasMoves;
import com.orderintel.registryserver.events.WebhookStatusSource;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's webhook wiring against the real broker and two loopback receivers: a move made by the CLI straight on
 * the store and a move made through the server each reach the good receiver once, signed; the receiver that answers
 * 500 gets every retry, then the failure is in the console's webhook status and in registry_webhook_deliveries_total.
 */
class WebhookWiringTest extends ServerTestBase {

    static final String BROKER = "amqp://guest:guest@127.0.0.1:5672";
    static final String SECRET = "webhook-secret-for-the-test-1234";
    static final String EXCHANGE = "test.registry.server." + UUID.randomUUID();
    static final String QUEUE = "test.registry.server.webhooks." + UUID.randomUUID();
    static final Receiver GOOD = Receiver.start(204);
    static final Receiver BAD = Receiver.start(500);
    static final String REGISTRY = ownRegistry();

    @Autowired
    AliasMoves moves;
    @Autowired
    WebhookStatusSource statuses;
    @Autowired
    MeterRegistry meters;
    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void webhooks(DynamicPropertyRegistry r) {
        r.add("registry.uri", () -> REGISTRY);
        r.add("registry.webhooks[0].name", () -> "ci");
        r.add("registry.webhooks[0].url", () -> GOOD.url());
        r.add("registry.webhooks[0].secret", () -> SECRET);
        r.add("registry.webhooks[1].name", () -> "chat");
        r.add("registry.webhooks[1].url", () -> BAD.url());
        r.add("registry.webhooks[1].secret", () -> SECRET);
        r.add("registry.events.amqp-uri", () -> BROKER);
        r.add("registry.events.exchange", () -> EXCHANGE);
        r.add("registry.events.webhook-queue", () -> QUEUE);
        r.add("registry.events.max-attempts", () -> "3");
        r.add("registry.events.initial-backoff", () -> "50ms");
        r.add("registry.events.max-backoff", () -> "100ms");
    }

    @Test
    void movesFromTheCliAndTheServerReachWebhooksOnceSignedAndFailuresShow() throws Exception {
        try (ModelStore cli = new AnnouncingModelStore(ModelStores.open(REGISTRY),
                new AmqpLifecycleEvents(new BrokerSettings(BROKER, EXCHANGE, null)))) {
            cli.promote("order-anomaly", "staging", "v2", "ci via training-runner promote");
        }
        moves.promote("order-anomaly", "canary", "v1", "ann", "a canary for the test");

        await(() -> GOOD.bodies.size() >= 2 && statuses.statuses().get(1).failed() == 2, 10_000);
        Thread.sleep(300); // a duplicate would arrive within this
        assertThat(GOOD.bodies).hasSize(2);
        assertThat(GOOD.bodies).extracting(b -> LifecycleEventCodec.read(b.body()).alias())
                .containsExactlyInAnyOrder("staging", "canary");
        assertThat(GOOD.bodies).allSatisfy(b -> assertThat(WebhookSignature.verify(SECRET, b.body(), b.signature())).isTrue());
        assertThat(BAD.bodies).as("3 attempts for each of the 2 events").hasSize(6);

        WebhookStatusSource.WebhookStatus chat = statuses.statuses().get(1);
        assertThat(chat.url()).startsWith("chat http://127.0.0.1:");
        assertThat(chat.failed()).isEqualTo(2);
        assertThat(chat.lastFailure()).isEqualTo("gave up after 3 attempts: HTTP 500");
        assertThat(statuses.statuses().get(0).delivered()).isEqualTo(2);
        assertThat(meters.get("registry.webhook.deliveries").tags("webhook", "chat", "outcome", "failed").counter().count())
                .isEqualTo(2.0);
        assertThat(meters.get("registry.webhook.deliveries").tags("webhook", "chat", "outcome", "retried").counter().count())
                .isEqualTo(4.0);
        assertThat(meters.get("registry.webhook.deliveries").tags("webhook", "ci", "outcome", "delivered").counter().count())
                .isEqualTo(2.0);
        // what a person sees: the models page lists each receiver with its counts and the last failure
        String page = mvc.perform(get("/console").with(user(ConsoleFixture.READER).roles("READ")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("chat http://127.0.0.1:").contains("gave up after 3 attempts: HTTP 500");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        GOOD.server.stop(0);
        BAD.server.stop(0);
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(BROKER);
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            ch.queueDelete(QUEUE);
            ch.exchangeDelete(EXCHANGE);
        }
    }

    private static String ownRegistry() {
        try {
            Path dir = Files.createTempDirectory("registry-webhooks");
            String location = dir.toUri().toString();
            try (ModelStore store = ModelStores.open(location)) {
                for (String version : List.of("v1", "v2")) {
                    byte[] artifact = version.getBytes();
                    ModelManifest m = Manifests.forArtifact("order-anomaly", version, artifact);
                    Path file = dir.resolve(version + ".bin");
                    Files.write(file, artifact);
                    store.publish(m, file);
                }
            }
            return location;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }

    record Request(String signature, byte[] body) { }

    record Receiver(HttpServer server, List<Request> bodies) {
        static Receiver start(int status) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
                List<Request> bodies = new CopyOnWriteArrayList<>();
                server.createContext("/hook", exchange -> {
                    bodies.add(new Request(exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE),
                            exchange.getRequestBody().readAllBytes()));
                    exchange.sendResponseHeaders(status, -1);
                    exchange.close();
                });
                server.start();
                return new Receiver(server, bodies);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }
    }
}
