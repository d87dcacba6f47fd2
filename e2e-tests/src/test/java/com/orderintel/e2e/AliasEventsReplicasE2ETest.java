package com.orderintel.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.registry.AliasMove;
import com.orderintel.registry.FileSystemModelStore;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two service replicas (the real jar, twice) serve {@code order-anomaly@production} from one registry; the real
 * training runner promotes straight on the store with a broker configured. Each promotion reaches both replicas
 * within 5 s, three times in a row (measured from the move's time in the alias log to the moment both serve it,
 * printed); the replicas poll only every {@value #POLL_SECONDS} s, and the event counter shows it was the event.
 * Then the runner's broker is away (a closed port): the move still succeeds and the replicas follow within the poll.
 */
class AliasEventsReplicasE2ETest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BROKER = "amqp://guest:guest@127.0.0.1:5672";
    static final String READ = "e2e-read-token-" + Long.toHexString(System.nanoTime());
    static final int POLL_SECONDS = 10;

    @TempDir
    Path work;

    @Test
    void aPromotionThroughTheCliReachesBothReplicasWithinFiveSecondsAndThePollCoversABrokerAway() throws Exception {
        Path registry = work.resolve("registry");
        FileSystemModelStore store = FileSystemModelStore.at(registry);
        FixtureModels.publish(store, "v1", "production");
        FixtureModels.publish(store, "v2", null);
        String location = store.location().replaceAll("/$", "");
        String exchange = "e2e.lifecycle." + UUID.randomUUID();

        Map<String, String> env = new HashMap<>(Map.of("MODEL_URI_ANOMALY", location + "/order-anomaly@production",
                "ADVISOR_MODELS_WATCH_INTERVAL", POLL_SECONDS + "s", "SPRING_CLOUD_VAULT_ENABLED", "false",
                "ADVISOR_SECURITY_READ_TOKEN", READ, "REGISTRY_EVENTS_AMQP_URI", BROKER,
                "REGISTRY_EVENTS_EXCHANGE", exchange));
        try (Processes.Service a = new Processes.Service("replica-a", env, work);
             Processes.Service b = new Processes.Service("replica-b", env, work)) {
            a.awaitReady(Duration.ofMinutes(3));
            b.awaitReady(Duration.ofMinutes(3));
            awaitConnected(a);
            awaitConnected(b);
            List<Processes.Service> replicas = List.of(a, b);

            Map<String, String> cli = Map.of("REGISTRY_EVENTS_AMQP_URI", BROKER, "REGISTRY_EVENTS_EXCHANGE", exchange);
            for (String target : List.of("v2", "v1", "v2")) {
                Duration took = promote(cli, location, target, replicas, store);
                System.out.printf("promotion to %s through the CLI reached both replicas %d ms after the move%n",
                        target, took.toMillis());
                assertThat(took).as("move to " + target).isLessThan(Duration.ofSeconds(5));
            }
            for (Processes.Service r : replicas) {
                assertThat(Processes.scrape(r.metrics(), "advisor_model_alias_events_total", "outcome=\"check\""))
                        .as(r.name + ": the moves came as events").isEqualTo(3.0);
            }

            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            Duration viaPoll = promote(Map.of("REGISTRY_EVENTS_AMQP_URI", "amqp://guest:guest@127.0.0.1:" + closed),
                    location, "v1", replicas, store);
            System.out.printf("broker away for the CLI: the move succeeded and both replicas followed %d ms after it (poll %d s)%n",
                    viaPoll.toMillis(), POLL_SECONDS);
            assertThat(viaPoll).isLessThan(Duration.ofSeconds(POLL_SECONDS + 5));
            assertThat(Processes.scrape(a.metrics(), "advisor_model_alias_events_total", "outcome=\"check\"")).isEqualTo(3.0);
        } finally {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(BROKER);
            try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
                ch.exchangeDelete(exchange);
            }
        }
    }

    /** Runs {@code training-runner promote}; returns the time from the move (alias log) until both replicas serve it. */
    private Duration promote(Map<String, String> env, String location, String version, List<Processes.Service> replicas,
                             FileSystemModelStore store) throws Exception {
        Processes.Background run = Processes.startRunner(env, work, "promote", "order-anomaly", "--version", version,
                "--registry", location);
        Instant seen = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen == null && System.nanoTime() < deadline) {
            boolean all = true;
            for (Processes.Service r : replicas) {
                all &= version.equals(servedVersion(r));
            }
            if (all) {
                seen = Instant.now();
            } else {
                Thread.sleep(25);
            }
        }
        Processes.Run done = run.await(2);
        assertThat(done.exitCode()).as(done.output()).isZero();
        assertThat(done.output()).contains("order-anomaly@production:").contains("-> " + version);
        assertThat(seen).as("both replicas serve " + version).isNotNull();
        List<AliasMove> log = store.aliases("order-anomaly").log();
        AliasMove move = log.getLast();
        assertThat(move.to()).isEqualTo(version);
        return Duration.between(move.at(), seen);
    }

    private static String servedVersion(Processes.Service service) throws Exception {
        HttpResponse<String> r = Processes.get(service.url("/api/v1/models/order-anomaly"), READ);
        return r.statusCode() == 200 ? JSON.readTree(r.body()).get("version").asText() : null;
    }

    private static void awaitConnected(Processes.Service s) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Processes.scrape(s.metrics(), "advisor_model_alias_events_connected") != 1.0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(s.name + " never subscribed to lifecycle events:\n" + s.tail());
            }
            Thread.sleep(100);
        }
    }
}
