package com.orderintel.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.registry.AliasMove;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.testkit.HeadlessChromium;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two service replicas (the real jar, twice) serve {@code order-anomaly@production} from one registry, beside the real
 * registry server (API and console) on the same registry and exchange. A promotion reaches both replicas within 5 s,
 * three times in a row, whichever way it is made: the training runner straight on the store with a broker configured,
 * the server's API, the console's promote form in a real browser. Each figure runs from the move's time in the alias
 * log to the moment both serve it (printed); the replicas poll only every {@value #POLL_SECONDS} s, and their event
 * counter shows it was the event. Then the runner's broker is away (a closed port): the move still succeeds and the
 * replicas follow within the poll. The processes are started once and shared by the three paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AliasEventsReplicasE2ETest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BROKER = "amqp://guest:guest@127.0.0.1:5672";
    static final String READ = "e2e-read-token-" + Long.toHexString(System.nanoTime());
    static final String PROMOTER = "ann";
    static final String PASSWORD = "e2e-" + UUID.randomUUID();
    static final String MODEL = "order-anomaly";
    static final int POLL_SECONDS = 10;

    @TempDir
    static Path work;

    private final String exchange = "e2e.lifecycle." + UUID.randomUUID();
    /** Where the replicas, the server and the CLI find the broker. */
    private final Map<String, String> broker = Map.of("REGISTRY_EVENTS_AMQP_URI", BROKER, "REGISTRY_EVENTS_EXCHANGE", exchange);
    private FileSystemModelStore store;
    private String location;
    private Processes.Service server;
    private final List<Processes.Service> replicas = new ArrayList<>();

    @BeforeAll
    void startReplicasAndServer() throws Exception {
        store = FileSystemModelStore.at(work.resolve("registry"));
        FixtureModels.publish(store, "v1", "production");
        FixtureModels.publish(store, "v2", null);
        location = store.location().replaceAll("/$", "");
        Map<String, String> env = new HashMap<>(broker);
        env.putAll(Map.of("MODEL_URI_ANOMALY", location + "/" + MODEL + "@production",
                "ADVISOR_MODELS_WATCH_INTERVAL", POLL_SECONDS + "s", "SPRING_CLOUD_VAULT_ENABLED", "false",
                "ADVISOR_SECURITY_READ_TOKEN", READ));
        Map<String, String> serverEnv = new HashMap<>(broker);
        serverEnv.putAll(Map.of("REGISTRY_URI", location, "REGISTRY_USERS", PROMOTER + ":" + PASSWORD + ":promoter"));
        // all three start at once; each is awaited (and closed in stop() whatever happens)
        server = Processes.Service.registryServer("registry-server", serverEnv, work);
        replicas.add(new Processes.Service("replica-a", env, work));
        replicas.add(new Processes.Service("replica-b", env, work));
        server.awaitReady(Duration.ofMinutes(3));
        for (Processes.Service r : replicas) {
            r.awaitReady(Duration.ofMinutes(3));
            awaitConnected(r);
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (Processes.Service s : replicas) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(BROKER);
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            ch.exchangeDelete(exchange);
        }
    }

    @Test
    void aPromotionWithTheCliStraightOnTheStoreReachesBothReplicasWithinFiveSecondsAndThePollCoversABrokerAway()
            throws Exception {
        threeInARow("the CLI", version -> promoteWithCli(broker, version));

        int closed = Processes.freePort();
        double before = events(replicas.getFirst());
        String version = next();
        Duration viaPoll = followed(version,
                v -> promoteWithCli(Map.of("REGISTRY_EVENTS_AMQP_URI", "amqp://guest:guest@127.0.0.1:" + closed), v));
        System.out.printf("broker away for the CLI: the move succeeded and both replicas followed %d ms after it (poll %d s)%n",
                viaPoll.toMillis(), POLL_SECONDS);
        assertThat(viaPoll).isLessThan(Duration.ofSeconds(POLL_SECONDS + 5));
        assertThat(events(replicas.getFirst())).as("no event without the broker: the poll").isEqualTo(before);
    }

    @Test
    void aPromotionThroughTheServersApiReachesBothReplicasWithinFiveSeconds() throws Exception {
        threeInARow("the API", version -> {
            HttpResponse<String> r = Processes.HTTP.send(HttpRequest.newBuilder(
                            URI.create(server.url("/api/v1/models/" + MODEL + "/aliases/production")))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (PROMOTER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            Map.of("version", version, "reason", "e2e: through the API"))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("newVersion").asText()).isEqualTo(version);
        });
    }

    @Test
    void aPromotionInTheConsoleReachesBothReplicasWithinFiveSeconds() throws Exception {
        assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            assertThat(chromium.signIn(server.url(""), PROMOTER, PASSWORD).getText()).contains("signed in as " + PROMOTER);
            WebDriver browser = chromium.driver();
            threeInARow("the console", version -> {
                browser.get(server.url("/console/models/" + MODEL));
                WebElement form = browser.findElement(By.id("promote-form"));
                new Select(form.findElement(By.name("version"))).selectByValue(version);
                WebElement alias = form.findElement(By.name("alias"));
                alias.clear();
                alias.sendKeys("production");
                form.findElement(By.name("reason")).sendKeys("e2e: in the console");
                form.findElement(By.cssSelector("button[type=submit]")).click();
                assertThat(browser.findElement(By.cssSelector(".flash.done")).getText())
                        .contains(MODEL + "@production:", "-> " + version);
            });
        }
    }

    /** A way of moving {@code production} to the given version; returns once it was made (and checked). */
    private interface Move {
        void to(String version) throws Exception;
    }

    /** Three moves in a row, each reaching both replicas within 5 s, and each one by an event, not the poll. */
    private void threeInARow(String how, Move move) throws Exception {
        double before = events(replicas.getFirst());
        double beforeB = events(replicas.getLast());
        for (int i = 0; i < 3; i++) {
            String version = next();
            Duration took = followed(version, move);
            System.out.printf("promotion to %s through %s reached both replicas %d ms after the move%n",
                    version, how, took.toMillis());
            assertThat(took).as("move to " + version + " through " + how).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(events(replicas.getFirst()) - before).as("replica-a: the moves came as events").isEqualTo(3.0);
        assertThat(events(replicas.getLast()) - beforeB).as("replica-b: the moves came as events").isEqualTo(3.0);
    }

    /** The version production does not point at now. */
    private String next() {
        return "v1".equals(store.resolveAlias(MODEL, "production").orElseThrow()) ? "v2" : "v1";
    }

    /**
     * Makes the move on another thread while watching both replicas; returns the time from the move (its entry in the
     * alias log) until both serve {@code version}.
     */
    private Duration followed(String version, Move move) throws Exception {
        Instant seen = null;
        try (ExecutorService mover = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> made = mover.submit(() -> {
                move.to(version);
                return null;
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen == null && System.nanoTime() < deadline && made.state() != Future.State.FAILED) {
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
            made.get(2, TimeUnit.MINUTES); // the move's own failure, if any, first
        }
        assertThat(seen).as("both replicas serve " + version).isNotNull();
        AliasMove last = store.aliases(MODEL).log().getLast();
        assertThat(last.action()).isEqualTo(AliasMove.PROMOTE);
        assertThat(last.to()).isEqualTo(version);
        return Duration.between(last.at(), seen);
    }

    /** Runs {@code training-runner promote} straight on the store. */
    private void promoteWithCli(Map<String, String> env, String version) throws Exception {
        Processes.Run done = Processes.startRunner(env, work, "promote", MODEL, "--version", version,
                "--registry", location).await(2);
        assertThat(done.exitCode()).as(done.output()).isZero();
        assertThat(done.output()).contains(MODEL + "@production:").contains("-> " + version);
    }

    /** Checks the replica ran because of an event (0 before the first: the counter appears with it). */
    private static double events(Processes.Service replica) throws Exception {
        double n = Processes.scrape(replica.metrics(), "advisor_model_alias_events_total", "outcome=\"check\"");
        return Double.isNaN(n) ? 0 : n;
    }

    private static String servedVersion(Processes.Service service) throws Exception {
        HttpResponse<String> r = Processes.get(service.url("/api/v1/models/" + MODEL), READ);
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
