package com.orderintel.registry.lifecycle;

import com.orderintel.registry.ModelStore;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AMQP publisher against the real broker: every event type reaches a queue bound to the exchange, persistent,
 * with its headers and routing key, and its body satisfies docs/schemas/lifecycle-event.schema.json; with the broker
 * away nothing throws, the failure is counted and the event goes to the fallback.
 */
class AmqpLifecycleEventsTest {

    static List<LifecycleEvent> oneOfEach() {
        String reg = "s3://AKIAEXAMPLE:secret@bucket/prefix";
        ModelStore.AliasChange change = new ModelStore.AliasChange("order-anomaly", "production", "v1", "v2");
        return List.of(
                LifecycleEvent.published("file:///var/registry", "order-anomaly", "v2", "ci@runner via publish"),
                LifecycleEvent.moved(LifecycleEvent.TYPE_PROMOTED, reg, change, "ana", "better precision", null),
                LifecycleEvent.moved(LifecycleEvent.TYPE_ROLLED_BACK, reg,
                        new ModelStore.AliasChange("order-anomaly", "production", "v2", "v1"), "ana", null, null),
                new LifecycleEvent(LifecycleEvent.newId(), LifecycleEvent.TYPE_REQUESTED, Instant.now(), reg,
                        "demand-forecast", "abc123", "production", "abc122", "bob", "MAE down 8 %\nsee report", "req-1"),
                new LifecycleEvent(LifecycleEvent.newId(), LifecycleEvent.TYPE_APPROVED, Instant.now(), reg,
                        "demand-forecast", "abc123", "production", null, "carol", null, "req-1"),
                new LifecycleEvent(LifecycleEvent.newId(), LifecycleEvent.TYPE_REJECTED, Instant.now(), reg,
                        "demand-forecast", "abc124", "production", null, "carol", "no shadow evidence", "req-2"));
    }

    @Test
    void everyTypeIsPublishedPersistentConfirmedAndValidAgainstTheSchema() throws Exception {
        BrokerSettings settings = Broker.fresh();
        try (Connection c = Broker.connect(); Channel ch = c.createChannel();
             AmqpLifecycleEvents events = new AmqpLifecycleEvents(settings)) {
            ch.exchangeDeclare(settings.exchange(), BuiltinExchangeType.TOPIC, true);
            String all = ch.queueDeclare().getQueue();
            ch.queueBind(all, settings.exchange(), "#");
            String moves = ch.queueDeclare().getQueue();
            ch.queueBind(moves, settings.exchange(), "alias.#");

            List<LifecycleEvent> sent = oneOfEach();
            sent.forEach(events::publish);

            assertThat(events.published()).isEqualTo(6);
            assertThat(events.failed()).isZero();
            List<GetResponse> got = Broker.take(ch, all, 6, 5000);
            assertThat(got).hasSize(6);
            List<LifecycleEvent> received = new ArrayList<>();
            for (GetResponse r : got) {
                assertThat(LifecycleSchema.problems(r.getBody())).as(new String(r.getBody())).isEmpty();
                LifecycleEvent e = LifecycleEventCodec.read(r.getBody());
                received.add(e);
                assertThat(r.getProps().getDeliveryMode()).as("persistent").isEqualTo(2);
                assertThat(r.getProps().getContentType()).isEqualTo("application/json");
                assertThat(r.getProps().getMessageId()).isEqualTo(e.eventId());
                assertThat(r.getProps().getHeaders()).containsKeys("event-id", "event-type", "schema-version");
                assertThat(r.getProps().getHeaders().get("event-id").toString()).isEqualTo(e.eventId());
                assertThat(r.getProps().getHeaders().get("event-type").toString()).isEqualTo(e.type());
                assertThat(r.getProps().getHeaders().get("schema-version").toString()).isEqualTo("1");
                assertThat(r.getEnvelope().getRoutingKey()).isEqualTo(e.type() + "." + e.model());
                assertThat(new String(r.getBody())).doesNotContain("secret").contains("\"schemaVersion\":\"1\"");
            }
            assertThat(received).containsExactlyElementsOf(sent.stream()
                    .map(e -> e.registry() != null && e.registry().contains("secret")
                            ? new LifecycleEvent(e.eventId(), e.type(), e.at(), e.registry().replace("AKIAEXAMPLE:secret", "***"),
                            e.model(), e.version(), e.alias(), e.from(), e.by(), e.reason(), e.requestId()) : e)
                    .toList());
            assertThat(Broker.take(ch, moves, 6, 1000)).as("alias.# receives the moves only")
                    .extracting(r -> r.getEnvelope().getRoutingKey())
                    .containsExactlyInAnyOrder("alias.promoted.order-anomaly", "alias.rolled_back.order-anomaly");
            ch.exchangeDelete(settings.exchange());
        }
    }

    @Test
    void aBrokerAwayNeverFailsTheCallerAndHandsTheEventToTheFallback() throws Exception {
        List<LifecycleEvent> fallback = new ArrayList<>();
        BrokerSettings away = new BrokerSettings(Broker.closedPortUri(), "test.lifecycle.away", null);
        try (AmqpLifecycleEvents events = new AmqpLifecycleEvents(away, fallback::add)) {
            List<LifecycleEvent> sent = oneOfEach();
            long start = System.nanoTime();
            sent.forEach(events::publish); // must not throw
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("broker away: 6 events handed back in %d ms%n", millis);
            assertThat(events.failed()).isEqualTo(6);
            assertThat(events.published()).isZero();
            assertThat(events.lastError()).contains("did not confirm").doesNotContain("guest:guest");
            assertThat(fallback).containsExactlyElementsOf(sent);
            assertThat(millis).as("bounded by one connect timeout, not one per event")
                    .isLessThan(BrokerSettings.DEFAULT_TIMEOUT.toMillis() + 1500);
        }
    }

    @Test
    void aMalformedEventIsRefusedBeforeSendingAndCounted() {
        BrokerSettings settings = Broker.fresh();
        try (AmqpLifecycleEvents events = new AmqpLifecycleEvents(settings)) {
            events.publish(new LifecycleEvent("id-1", LifecycleEvent.TYPE_PROMOTED, Instant.now(), null, "../etc",
                    "v1", "production", null, "x", null, null));
            assertThat(events.failed()).isEqualTo(1);
            assertThat(events.lastError()).contains("field 'model'");
        }
    }
}
