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
 * own RabbitMQ node) while the service (its real jar, a separate process) works through a backlog of order.created
 * events; more events after the broker is back. Every confirmed event must be alerted, exactly once, and acked.
 */
@Tag("faults")
class BrokerRestartFaultTest {

    static final int BEFORE = 20_000;
    static final int AFTER = 2_000;

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
                stream.publish("before", BEFORE);

                // mid-stream: some alerts out, most events still queued or in flight
                await().atMost(Duration.ofMinutes(3)).until(() -> stream.alertsOut() >= 2_000);
                int alertedAtStop = stream.alertsOut();
                long stopped = System.nanoTime();
                FaultInfra.inject("rabbit-stop-app");
                Thread.sleep(3_000); // the service's consumers and publisher see the broker away
                FaultInfra.inject("rabbit-start-app");
                double outageSeconds = (System.nanoTime() - stopped) / 1e9;

                stream.publish("after", AFTER);
                stream.awaitAllAlerted(Duration.ofMinutes(4));
                long queued = stream.depth(stream.queue);
                long deadLettered = stream.depth(stream.deadLetterQueue);
                String metrics = service.metrics();

                Map<String, Object> f = FaultInfra.figures();
                f.put("events_in", stream.sent.size());
                f.put("alerts_out", stream.alertsOut());
                f.put("alerted_at_stop", alertedAtStop);
                f.put("outage_s", String.format("%.1f", outageSeconds));
                f.put("lost", stream.lost());
                f.put("duplicate_alerts", stream.duplicateAlerts());
                f.put("dead_lettered", deadLettered);
                f.put("left_in_queue", queued);
                f.put("redeliveries_skipped", (long) Processes.scrape(metrics, "advisor_events_duplicates_total"));
                f.put("retries", (long) Processes.scrape(metrics, "advisor_events_retries_total"));
                FaultInfra.report("broker-restart", f);

                assertThat(stream.sent).hasSize(BEFORE + AFTER);
                assertThat(stream.lost()).as("events without an alert").isZero();
                assertThat(stream.duplicateAlerts()).as("second alerts for one order").isZero();
                assertThat(deadLettered).as("dead-lettered events").isZero();
                assertThat(queued).as("events left unacked or queued").isZero();
            }
        }
    }
}
