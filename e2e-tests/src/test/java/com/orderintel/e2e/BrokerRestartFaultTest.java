package com.orderintel.e2e;

import com.orderintel.registry.FileSystemModelStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static com.orderintel.e2e.FaultInfra.READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault 1: the broker stopped and started mid-stream ({@code rabbitmqctl stop_app} / {@code start_app} on the suite's
 * own RabbitMQ node) while order.created events flow (1,000 a second, published with confirms and re-published by
 * the producer when the broker was away) and the service (its real jar, a separate process) alerts on them. Every
 * confirmed event must be alerted and acked, nothing dead-lettered or left in the queue; second alerts only for alerts
 * whose confirm the stop cut off (at most the unacked deliveries).
 */
@Tag("faults")
class BrokerRestartFaultTest {

    /** order.created events a second: a steady flow the service keeps up with, so the stop lands mid-stream. */
    static final int RATE = 1_000;
    /**
     * Alerts waiting for their confirm at any moment: at most one per unacked delivery, the defaults' consumers x
     * prefetch (2 x 300). When the broker stops, whether those were stored is unknown; each is retried and its event
     * redelivered, so some may alert twice. That is the at-least-once a broker restart allows; consumers de-duplicate
     * on order_id (docs/events.md).
     */
    static final int IN_FLIGHT_BOUND = 2 * 300;

    @TempDir
    Path work;

    @Test
    void everyEventAlertedOnceAcrossABrokerRestart() throws Exception {
        Path registry = work.resolve("registry");
        FixtureModels.publish(FileSystemModelStore.at(registry), "v1", "production");
        int port = FaultInfra.rabbitPort();
        try (OrderStream stream = new OrderStream(port)) {
            Map<String, String> env = stream.serviceEnv(port);
            env.put("MODEL_URI_ANOMALY", "file://" + registry + "/order-anomaly@production");
            env.put("SPRING_CLOUD_VAULT_ENABLED", "false");
            try (Processes.Service service = new Processes.Service("broker-restart", env, work)) {
                service.awaitReady(READY);
                stream.startFlow("order", RATE);

                // mid-stream: alerts coming out while events keep flowing in
                await().atMost(Duration.ofMinutes(3)).until(() -> stream.alertsOut() >= 2_000);
                int alertedAtStop = stream.alertsOut();
                long stopped = System.nanoTime();
                FaultInfra.inject("rabbit-stop-app");
                Thread.sleep(3_000); // the service's consumers and publisher, and order-service, see the broker away
                FaultInfra.inject("rabbit-start-app");
                double outageSeconds = (System.nanoTime() - stopped) / 1e9;
                int sentAtRecovery = stream.sent.size();
                await().atMost(Duration.ofMinutes(3)).until(() -> stream.sent.size() >= sentAtRecovery + 3 * RATE);
                stream.stopFlow();
                stream.awaitAllAlerted(Duration.ofMinutes(4));
                long queued = stream.depth(stream.queue);
                long deadLettered = stream.depth(stream.deadLetterQueue);
                String metrics = service.metrics();

                Map<String, Object> f = FaultInfra.figures();
                f.put("events_in", stream.sent.size());
                f.put("alerts_out", stream.alertsOut());
                f.put("alerted_at_stop", alertedAtStop);
                f.put("outage_s", String.format("%.1f", outageSeconds));
                f.put("republished_by_producer", stream.republished.get());
                f.put("lost", stream.lost());
                f.put("duplicate_alerts", stream.duplicateAlerts());
                f.put("in_flight_bound", IN_FLIGHT_BOUND);
                f.put("dead_lettered", deadLettered);
                f.put("left_in_queue", queued);
                f.put("redeliveries_skipped", (long) Processes.scrape(metrics, "advisor_events_duplicates_total"));
                f.put("retries", (long) Processes.scrape(metrics, "advisor_events_retries_total"));
                FaultInfra.report("broker-restart", f);

                assertThat(stream.sent.size()).as("events in after the broker came back").isGreaterThan(sentAtRecovery);
                assertThat(stream.lost()).as("events without an alert").isZero();
                assertThat(stream.duplicateAlerts()).as("second alerts: only alerts in flight at the stop (at-least-once)")
                        .isLessThanOrEqualTo(IN_FLIGHT_BOUND);
                assertThat(deadLettered).as("dead-lettered events").isZero();
                assertThat(queued).as("events left unacked or queued").isZero();
            }
        }
    }
}
