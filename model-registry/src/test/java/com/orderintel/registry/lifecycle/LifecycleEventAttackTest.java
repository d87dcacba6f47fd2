package com.orderintel.registry.lifecycle;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile lifecycle messages: whoever can publish to the exchange must not make a receiver act on a path, a control
 * character or a megabyte, nor stall it. Each is refused with a message naming the problem; the subscriber drops it
 * and goes on with the next.
 */
@Tag("attack")
class LifecycleEventAttackTest {

    static final String GOOD = """
            {"schemaVersion":"1","eventId":"e-1","type":"alias.promoted","at":"2026-12-07T05:00:00Z",
             "model":"order-anomaly","version":"v2","alias":"production","from":"v1","by":"ana"}""";

    static List<String> hostile() {
        return List.of(
                "",
                "not json",
                "null",
                "[1,2,3]",
                GOOD.replace("\"order-anomaly\"", "\"../../etc/passwd\""),
                GOOD.replace("\"production\"", "\"prod\\u0000uction\""),
                GOOD.replace("\"v2\"", "\"" + "v".repeat(129) + "\""),
                GOOD.replace("alias.promoted", "alias.exploded"),
                GOOD.replace("\"e-1\"", "\"$(rm -rf /)\""),
                GOOD.replace("\"ana\"", "\"ana\\u001b[31m\""),
                GOOD.replace(",\"by\":\"ana\"", ",\"reason\":\"" + "x".repeat(2001) + "\""),
                GOOD.replace("\"alias\":\"production\",", ""),
                GOOD.replace("\"model\":\"order-anomaly\"", "\"model\":\"order-anomaly\",\"model\":\"x\""),
                GOOD.replace("\"by\":\"ana\"", "\"by\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":1}}}}}}}}"),
                "{\"pad\":\"" + "x".repeat(20_000) + "\"}");
    }

    @Test
    void theCodecRefusesEachWithAMessageNamingTheProblem() {
        assertThat(LifecycleEventCodec.read(GOOD.getBytes(StandardCharsets.UTF_8)).version()).isEqualTo("v2");
        for (String body : hostile()) {
            assertThatThrownBy(() -> LifecycleEventCodec.read(body.getBytes(StandardCharsets.UTF_8)))
                    .as(body.length() > 200 ? body.substring(0, 200) : body)
                    .isInstanceOf(LifecycleEventCodec.InvalidEventException.class)
                    .hasMessageNotContaining("\u0000").hasMessageNotContaining("\u001b")
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
        }
        assertThatThrownBy(() -> LifecycleEventCodec.read(GOOD.replace("../", "").replace("order-anomaly", "../x")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("field 'model'").hasMessageContaining("path separator");
        // the published schema says the same of them, so receivers in other languages can refuse them too
        assertThat(LifecycleSchema.problems(GOOD.getBytes(StandardCharsets.UTF_8))).isEmpty();
        for (String body : hostile().subList(4, 8)) {
            assertThat(LifecycleSchema.problems(body.getBytes(StandardCharsets.UTF_8))).as(body).isNotEmpty();
        }
        assertThatThrownBy(() -> LifecycleEventCodec.read(new byte[LifecycleEventCodec.MAX_BODY_BYTES + 1]))
                .hasMessageContaining("bytes (at most 16384)");
    }

    @Test
    void theSubscriberDropsEachAndStillDeliversTheNextGoodEvent() throws Exception {
        BrokerSettings settings = Broker.fresh();
        List<LifecycleEvent> handled = new CopyOnWriteArrayList<>();
        try (LifecycleSubscriber subscriber = new LifecycleSubscriber(settings, LifecycleSubscriber.QueueSpec.exclusive(),
                List.of("#"), handled::add, () -> { }).start();
             Connection c = Broker.connect(); Channel ch = c.createChannel()) {
            WebhookDispatcherTest.await(subscriber::connected, 20_000);
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").build();
            for (String body : hostile()) {
                ch.basicPublish(settings.exchange(), "alias.promoted.order-anomaly", props, body.getBytes(StandardCharsets.UTF_8));
            }
            ch.basicPublish(settings.exchange(), "alias.promoted.order-anomaly", props, new byte[1 << 20]); // 1 MiB
            ch.basicPublish(settings.exchange(), "alias.promoted.order-anomaly", props, GOOD.getBytes(StandardCharsets.UTF_8));

            WebhookDispatcherTest.await(() -> handled.size() == 1, 5000);
            assertThat(handled.getFirst().eventId()).isEqualTo("e-1");
            assertThat(subscriber.invalid()).isEqualTo(hostile().size() + 1);
            assertThat(subscriber.received()).isEqualTo(hostile().size() + 2);
            ch.exchangeDelete(settings.exchange());
        }
    }
}
