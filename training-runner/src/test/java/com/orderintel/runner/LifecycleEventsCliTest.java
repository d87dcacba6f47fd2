package com.orderintel.runner;

import com.orderintel.registry.lifecycle.LifecycleEvent;
import com.orderintel.registry.lifecycle.LifecycleEventCodec;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * publish, promote and rollback with a broker configured announce each move on the lifecycle exchange (the real
 * RabbitMQ, an exchange of the test's own); with the broker away the move still succeeds, promptly.
 */
class LifecycleEventsCliTest {

    static final String BROKER = "amqp://guest:guest@127.0.0.1:5672";

    @TempDir
    Path dir;

    @Test
    void publishPromoteAndRollbackAreAnnounced() throws Exception {
        String registry = dir.resolve("reg").toUri().toString();
        String exchange = "test.lifecycle.cli." + UUID.randomUUID();
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(BROKER);
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(exchange, "topic", true);
            String queue = ch.queueDeclare().getQueue();
            ch.queueBind(queue, exchange, "#");
            String[] events = {"--registry", registry, "--events-amqp-uri", BROKER, "--events-exchange", exchange};

            assertThat(run("publish", "--model-dir", ModelDirs.write(dir.resolve("v1"), "order-anomaly", "v1",
                    new byte[] {1}).toString(), "--promote", "production", events).exitCode()).isZero();
            assertThat(run("publish", "--model-dir", ModelDirs.write(dir.resolve("v2"), "order-anomaly", "v2",
                    new byte[] {2}).toString(), events).exitCode()).isZero();
            assertThat(run("promote", "order-anomaly", "--version", "v2", "--shadow-alias", "staging", events).out())
                    .contains("order-anomaly@production: v1 -> v2");
            assertThat(run("rollback", "order-anomaly", events).exitCode()).isZero();
            assertThat(run("list", events).exitCode()).as("a read-only command announces nothing").isZero();

            List<LifecycleEvent> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 5000;
            while (got.size() < 6 && System.currentTimeMillis() < deadline) {
                GetResponse r = ch.basicGet(queue, true);
                if (r == null) {
                    Thread.sleep(20);
                } else {
                    got.add(LifecycleEventCodec.read(r.getBody()));
                }
            }
            Thread.sleep(200);
            assertThat(ch.basicGet(queue, true)).as("nothing more (the list announced nothing)").isNull();
            assertThat(got).extracting(e -> e.type() + " " + e.alias() + " " + e.from() + "->" + e.version())
                    .containsExactly(
                            "model.published null null->v1",
                            "alias.promoted production null->v1",
                            "model.published null null->v2",
                            "alias.promoted production v1->v2",
                            "alias.promoted staging null->v1",
                            "alias.rolled_back production v2->v1");
            assertThat(got).allSatisfy(e -> {
                assertThat(e.model()).isEqualTo("order-anomaly");
                assertThat(e.registry()).isEqualTo(registry.replaceAll("/$", ""));
                assertThat(e.by()).isNotBlank();
            });
            assertThat(got.get(3).by()).contains("via training-runner promote");
            ch.exchangeDelete(exchange);
        }
    }

    @Test
    void withTheBrokerAwayTheMoveStillSucceeds() throws Exception {
        String registry = dir.resolve("reg").toUri().toString();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String[] away = {"--registry", registry, "--events-amqp-uri", "amqp://guest:guest@127.0.0.1:" + port};
        assertThat(run("publish", "--model-dir", ModelDirs.write(dir.resolve("v1"), "m", "v1", new byte[] {1}).toString(),
                away).exitCode()).isZero();
        CliRun promote = run("promote", "m", "--version", "v1", away);
        assertThat(promote.exitCode()).isZero();
        assertThat(promote.out()).contains("m@production: (unset) -> v1");
        assertThat(run("show", registry.replaceAll("/$", "") + "/m@production").out()).contains("v1");

        CliRun bad = run("promote", "m", "--version", "v1", "--registry", registry, "--events-amqp-uri", "http://x");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("must start with amqp:// or amqps://");
    }

    private static CliRun run(String command, Object... args) {
        List<String> all = new ArrayList<>(List.of(command));
        for (Object a : args) {
            if (a instanceof String[] many) {
                all.addAll(List.of(many));
            } else {
                all.add((String) a);
            }
        }
        return CliRun.of(all.toArray(String[]::new));
    }
}
