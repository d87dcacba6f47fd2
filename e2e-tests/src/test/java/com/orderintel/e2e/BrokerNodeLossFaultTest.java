package com.orderintel.e2e;

import com.orderintel.registry.FileSystemModelStore;
import org.junit.jupiter.api.AfterAll;
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
 * Fault: a broker node lost for good. The suite starts a three-node RabbitMQ cluster of its own (infra.sh
 * cluster-up), the service (its real jar) connects with the cluster's address list and declares its quorum queues,
 * events flow (order-service's side on the cluster too, alerts queue quorum), and the node that leads the service's
 * queue is killed with SIGKILL mid-stream. The queue elects a leader on the two nodes left, the service's consumers
 * and publisher reconnect to them, and every confirmed event must still be alerted; second alerts only for alerts
 * whose confirm the kill cut off (at most the unacked deliveries), nothing dead-lettered or left in the queue.
 */
@Tag("faults")
class BrokerNodeLossFaultTest {

    static final int RATE = 500;
    /** As for a broker restart: at most one alert in doubt per unacked delivery, consumers x prefetch (2 x 300). */
    static final int IN_FLIGHT_BOUND = 2 * 300;

    @TempDir
    Path work;

    @AfterAll
    static void stopCluster() {
        FaultInfra.inject("cluster-down");
    }

    @Test
    void everyEventAlertedWhenTheQueueLeaderNodeDies() throws Exception {
        FaultInfra.inject(Duration.ofMinutes(8), "cluster-up");
        FaultInfra.Cluster cluster = FaultInfra.Cluster.read();
        Path registry = work.resolve("registry");
        FixtureModels.publish(FileSystemModelStore.at(registry), "v1", "production");
        // order-service's side starts from the last node, the service from the first: the kill is not of both at once
        int[] reversed = {cluster.ports()[2], cluster.ports()[1], cluster.ports()[0]};
        try (OrderStream stream = new OrderStream(reversed)) {
            Map<String, String> env = stream.serviceEnv(cluster.ports()[0]);
            env.put("SPRING_RABBITMQ_ADDRESSES", "127.0.0.1:" + cluster.ports()[0] + ",127.0.0.1:" + cluster.ports()[1]
                    + ",127.0.0.1:" + cluster.ports()[2]);
            env.put("MODEL_URI_ANOMALY", "file://" + registry + "/order-anomaly@production");
            env.put("SPRING_CLOUD_VAULT_ENABLED", "false");
            try (Processes.Service service = new Processes.Service("node-loss", env, work)) {
                service.awaitReady(READY);
                stream.startFlow("order", RATE);

                await().atMost(Duration.ofMinutes(3)).until(() -> stream.alertsOut() >= 1_500);
                String[] before = queueTypeAndLeader(stream.queue);
                String queueType = before[0];
                String leader = before[1];
                int alertedAtKill = stream.alertsOut();
                long killed = System.nanoTime();
                FaultInfra.inject("cluster-kill", leader);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> stream.alertsOut() > alertedAtKill + 10);
                double resumedAfter = (System.nanoTime() - killed) / 1e9;
                int sentAfterKill = stream.sent.size();
                await().atMost(Duration.ofMinutes(3)).until(() -> stream.sent.size() >= sentAfterKill + 5 * RATE);
                stream.stopFlow();
                stream.awaitAllAlerted(Duration.ofMinutes(4));
                String newLeader = queueTypeAndLeader(stream.queue)[1];
                long queued = stream.depth(stream.queue);
                long deadLettered = stream.depth(stream.deadLetterQueue);
                int consumers = stream.consumers(stream.queue);
                // where the consumers' channels live: a quorum queue keeps the dead node's consumers registered
                // (suspected down, in case the node comes back), so the count above includes them
                Map<String, Integer> consumersByNode = consumersByNode(stream.queue);
                int onSurvivors = consumersByNode.entrySet().stream().filter(e -> !e.getKey().equals(before[1]))
                        .mapToInt(Map.Entry::getValue).sum();
                String metrics = service.metrics();

                Map<String, Object> f = FaultInfra.figures();
                f.put("queue_type", queueType);
                f.put("killed_leader", leader);
                f.put("new_leader", newLeader);
                f.put("events_in", stream.sent.size());
                f.put("alerts_out", stream.alertsOut());
                f.put("alerted_at_kill", alertedAtKill);
                f.put("alerts_resumed_after_s", String.format("%.1f", resumedAfter));
                f.put("republished_by_producer", stream.republished.get());
                f.put("lost", stream.lost());
                f.put("duplicate_alerts", stream.duplicateAlerts());
                f.put("in_flight_bound", IN_FLIGHT_BOUND);
                f.put("dead_lettered", deadLettered);
                f.put("left_in_queue", queued);
                f.put("consumers_registered", consumers);
                f.put("consumers_on_surviving_nodes", onSurvivors);
                f.put("redeliveries_skipped", (long) Processes.scrape(metrics, "advisor_events_duplicates_total"));
                f.put("retries", (long) Processes.scrape(metrics, "advisor_events_retries_total"));
                FaultInfra.report("broker-node-loss", f);

                assertThat(queueType).as("the service's queue").isEqualTo("quorum");
                assertThat(newLeader).as("a surviving node leads the queue").isNotEqualTo(leader).isNotBlank();
                assertThat(stream.sent.size()).as("events in after the kill").isGreaterThan(sentAfterKill);
                assertThat(stream.lost()).as("events without an alert").isZero();
                assertThat(stream.duplicateAlerts()).as("second alerts: only alerts in flight at the kill (at-least-once)")
                        .isLessThanOrEqualTo(IN_FLIGHT_BOUND);
                assertThat(deadLettered).as("dead-lettered events").isZero();
                assertThat(queued).as("events left unacked or queued").isZero();
                assertThat(onSurvivors).as("the service's consumers (concurrency 2), reconnected to the surviving nodes: "
                        + consumersByNode).isEqualTo(2);
            }
        }
    }

    /** Consumers of the queue by the node their channel lives on (rabbitmqctl list_consumers on a node that is up). */
    private static Map<String, Integer> consumersByNode(String queue) {
        Map<String, Integer> byNode = new java.util.TreeMap<>();
        for (String line : FaultInfra.inject("cluster-consumers", queue).lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[1].matches("\\d+")) {
                byNode.put(f[0], Integer.parseInt(f[1]));
            }
        }
        return byNode;
    }

    /** The queue's type and leading node, from rabbitmqctl list_queues on a node that is up (the last output line). */
    private static String[] queueTypeAndLeader(String queue) {
        String out = FaultInfra.inject("cluster-queue", queue).strip();
        String[] f = out.lines().reduce((a, b) -> b).orElse("").trim().split("\\s+");
        assertThat(f).as("type and leader of " + queue + " in: " + out).hasSize(2);
        return f;
    }
}
