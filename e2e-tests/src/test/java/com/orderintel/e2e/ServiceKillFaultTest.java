package com.orderintel.e2e;

import com.orderintel.registry.FileSystemModelStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static com.orderintel.e2e.FaultInfra.READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault 5: the service (its real jar, a separate JVM) killed with SIGKILL in the middle of a stream of order.created
 * events, then started again, as a pod would be. Shared order claims (Redis) and capture (PostgreSQL) are on, as in
 * the chart, on the suite's own Redis and PostgreSQL. Nothing can be drained on SIGKILL, so the guarantee is
 * at-least-once: every event alerted (none lost), events in flight at the kill may alert twice (counted), and no
 * captured row is written twice (one row per prediction id).
 */
@Tag("faults")
class ServiceKillFaultTest {

    /** order.created events a second, flowing before, during and after the kill. */
    static final int RATE = 1_000;
    static final int PREFETCH = 50;
    static final int CONSUMERS = 2;

    @TempDir
    Path work;

    @Test
    void killedMidStreamLosesNoEvent() throws Exception {
        Path registry = work.resolve("registry");
        FixtureModels.publish(FileSystemModelStore.at(registry), "v1", "production");
        String db = FaultInfra.createDatabase("faults_kill_");
        int port = FaultInfra.rabbitPort();
        try (OrderStream stream = new OrderStream(port)) {
            Map<String, String> env = stream.serviceEnv(port);
            env.put("MODEL_URI_ANOMALY", "file://" + registry + "/order-anomaly@production");
            env.put("SPRING_CLOUD_VAULT_ENABLED", "false");
            env.put("ADVISOR_EVENTS_SHARED_CLAIMS", "true");
            env.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
            env.put("SPRING_DATA_REDIS_PORT", String.valueOf(FaultInfra.redisPort()));
            env.put("SPRING_DATASOURCE_URL", FaultInfra.jdbcUrl(db));
            env.put("SPRING_DATASOURCE_USERNAME", "postgres");
            env.put("ADVISOR_EVENTS_PREFETCH", String.valueOf(PREFETCH));
            env.put("ADVISOR_EVENTS_CONCURRENCY", String.valueOf(CONSUMERS));

            int alertedAtKill;
            double restartSeconds;
            Processes.Service first = new Processes.Service("before-kill", env, work);
            try {
                first.awaitReady(READY);
                stream.startFlow("order", RATE);
                await().atMost(Duration.ofMinutes(3)).until(() -> stream.alertsOut() >= 2_000);
                alertedAtKill = stream.alertsOut();
            } finally {
                first.kill(); // SIGKILL: no shutdown hook, no drain, unacked deliveries return to the queue
            }
            long restarted = System.nanoTime();
            try (Processes.Service second = new Processes.Service("after-kill", env, work)) {
                second.awaitReady(READY);
                restartSeconds = (System.nanoTime() - restarted) / 1e9;
                int sentAtRestart = stream.sent.size();
                await().atMost(Duration.ofMinutes(3)).until(() -> stream.sent.size() >= sentAtRestart + 3 * RATE);
                stream.stopFlow();
                stream.awaitAllAlerted(Duration.ofMinutes(4));
                // capture is asynchronous (flushed every 200 ms): wait until the count stops growing (bounded)
                long captured = -1;
                for (long deadline = System.nanoTime() + 120_000_000_000L; System.nanoTime() < deadline; ) {
                    Thread.sleep(2_000);
                    long now = capture(db).rows;
                    if (now == captured) {
                        break;
                    }
                    captured = now;
                }

                long queued = stream.depth(stream.queue);
                long deadLettered = stream.depth(stream.deadLetterQueue);
                Capture capture = capture(db);
                Map<String, Object> f = FaultInfra.figures();
                f.put("events_in", stream.sent.size());
                f.put("alerts_out", stream.alertsOut());
                f.put("alerted_at_kill", alertedAtKill);
                f.put("restart_to_ready_s", String.format("%.1f", restartSeconds));
                f.put("claims_held_by_the_killed", (long) Processes.scrape(second.metrics(), "advisor_events_claim_held_elsewhere_total"));
                f.put("lost", stream.lost());
                f.put("duplicate_alerts", stream.duplicateAlerts());
                f.put("dead_lettered", deadLettered);
                f.put("left_in_queue", queued);
                f.put("capture_rows", capture.rows);
                f.put("capture_duplicate_rows", capture.rows - capture.predictionIds);
                f.put("capture_orders_rescored", capture.ordersScoredTwice);
                f.put("capture_orders_missing", stream.sent.size() - capture.orders);
                FaultInfra.report("service-sigkill", f);

                assertThat(stream.sent.size()).as("events in").isGreaterThan(alertedAtKill);
                assertThat(stream.lost()).as("events without an alert after the restart").isZero();
                assertThat(stream.duplicateAlerts()).as("second alerts: only events in flight at the kill (at-least-once)")
                        .isLessThanOrEqualTo(inFlightBound());
                assertThat(deadLettered).as("dead-lettered events").isZero();
                assertThat(queued).as("events left unacked or queued").isZero();
                assertThat(capture.rows).as("captured rows written twice (same prediction id)").isEqualTo(capture.predictionIds);
                assertThat(capture.ordersScoredTwice).as("orders captured twice: only those in flight at the kill")
                        .isLessThanOrEqualTo(inFlightBound());
            }
        } finally {
            try (Connection c = DriverManager.getConnection(FaultInfra.jdbcUrl("postgres"), "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    /** At most this many events are delivered and not yet acked at any moment (consumers x prefetch). */
    private static int inFlightBound() {
        return PREFETCH * CONSUMERS;
    }

    private record Capture(long rows, long predictionIds, long orders, long ordersScoredTwice) { }

    private static Capture capture(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(FaultInfra.jdbcUrl(db), "postgres", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT prediction_id), count(DISTINCT order_id), "
                     + "(SELECT count(*) FROM (SELECT order_id FROM scored_orders WHERE source = 'event' "
                     + "GROUP BY order_id HAVING count(*) > 1) twice) FROM scored_orders WHERE source = 'event'")) {
            rs.next();
            return new Capture(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return new Capture(0, 0, 0, 0); // not migrated yet
            }
            throw e;
        }
    }
}
