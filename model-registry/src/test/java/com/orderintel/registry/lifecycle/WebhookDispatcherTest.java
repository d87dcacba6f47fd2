package com.orderintel.registry.lifecycle;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events to webhooks as the registry server wires them: the publisher on the exchange, a subscriber on a durable
 * queue of its own feeding the dispatcher, a loopback receiver. Every event arrives exactly once, signed, valid
 * against the schema; a receiver that answers 500 gets every retry, then the failure is in its status and counted.
 */
class WebhookDispatcherTest {

    static final String SECRET = "a-webhook-secret-of-32-characters";
    static final WebhookDispatcher.Settings FAST = new WebhookDispatcher.Settings(4, Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofSeconds(2), 100, 2);

    @Test
    void everyEventReachesTheReceiverOnceSignedThroughTheBroker() throws Exception {
        BrokerSettings settings = Broker.fresh();
        String queue = "test.registry.webhooks." + UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver(204);
             WebhookDispatcher dispatcher = new WebhookDispatcher(
                     List.of(new Webhook("ci", receiver.url(), SECRET)), FAST, new WebhookDispatcher.Listener() { });
             LifecycleSubscriber feed = new LifecycleSubscriber(settings, LifecycleSubscriber.QueueSpec.durable(queue),
                     List.of("#"), dispatcher::publish, () -> { }).start();
             AmqpLifecycleEvents events = new AmqpLifecycleEvents(settings)) {
            await(feed::connected, 20_000);
            List<LifecycleEvent> sent = AmqpLifecycleEventsTest.oneOfEach();
            sent.forEach(events::publish);

            await(() -> receiver.requests.size() >= sent.size(), 5000);
            Thread.sleep(300); // a duplicate would arrive within this
            assertThat(receiver.requests).hasSize(sent.size());
            Map<String, WebhookReceiver.Request> byId = receiver.requests.stream()
                    .collect(Collectors.toMap(WebhookReceiver.Request::eventId, Function.identity()));
            assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(sent.stream().map(LifecycleEvent::eventId).toList());
            for (WebhookReceiver.Request r : receiver.requests) {
                assertThat(WebhookSignature.verify(SECRET, r.body(), r.signature())).as("signature").isTrue();
                assertThat(WebhookSignature.verify("another-secret-of-enough-length", r.body(), r.signature())).isFalse();
                assertThat(r.signature()).matches("sha256=[0-9a-f]{64}");
                assertThat(LifecycleSchema.problems(r.body())).isEmpty();
                assertThat(LifecycleEventCodec.read(r.body()).eventId()).isEqualTo(r.eventId());
                assertThat(r.eventType()).isEqualTo(LifecycleEventCodec.read(r.body()).type());
                assertThat(Long.parseLong(r.timestamp())).isPositive();
                assertThat(r.attempt()).isEqualTo("1");
            }
            WebhookStatus status = dispatcher.statuses().getFirst();
            assertThat(status.delivered()).isEqualTo(6);
            assertThat(status.failed()).isZero();
            assertThat(status.failing()).isFalse();
            assertThat(status.url()).doesNotContain("token");
            feed.close();
            try (var c = Broker.connect(); var ch = c.createChannel()) {
                ch.queueDelete(queue);
                ch.exchangeDelete(settings.exchange());
            }
        }
    }

    @Test
    void withTheBrokerAwayTheServersOwnEventsStillReachWebhooksThroughThePublishersFallback() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200);
             WebhookDispatcher dispatcher = new WebhookDispatcher(List.of(new Webhook("ci", receiver.url(), SECRET)), FAST,
                     new WebhookDispatcher.Listener() { });
             AmqpLifecycleEvents events = new AmqpLifecycleEvents(
                     new BrokerSettings(Broker.closedPortUri(), "test.lifecycle.away", null), dispatcher)) {
            LifecycleEvent event = AmqpLifecycleEventsTest.oneOfEach().get(1);
            events.publish(event);
            await(() -> receiver.requests.size() == 1, 5000);
            assertThat(receiver.requests.getFirst().eventId()).isEqualTo(event.eventId());
            assertThat(events.failed()).isEqualTo(1);
        }
    }

    @Test
    void aFailingReceiverGetsEveryRetryThenTheFailureIsVisibleAndCounted() throws Exception {
        AtomicInteger failedCount = new AtomicInteger();
        Map<String, String> failures = new ConcurrentHashMap<>();
        WebhookDispatcher.Listener listener = new WebhookDispatcher.Listener() {
            @Override
            public void failed(Webhook webhook, LifecycleEvent event, int attempts, String error) {
                failedCount.incrementAndGet();
                failures.put(webhook.name(), error);
            }
        };
        try (WebhookReceiver down = new WebhookReceiver(500); WebhookReceiver gone = new WebhookReceiver(410);
             WebhookDispatcher dispatcher = new WebhookDispatcher(List.of(new Webhook("chat", down.url(), SECRET),
                     new Webhook("audit", gone.url(), SECRET)), FAST, listener)) {
            LifecycleEvent event = AmqpLifecycleEventsTest.oneOfEach().get(1);
            dispatcher.publish(event);

            await(() -> failedCount.get() == 2, 5000);
            assertThat(down.requests).as("every attempt").hasSize(FAST.maxAttempts())
                    .extracting(WebhookReceiver.Request::attempt).containsExactly("1", "2", "3", "4");
            assertThat(down.requests).allSatisfy(r -> assertThat(r.eventId()).isEqualTo(event.eventId()));
            assertThat(gone.requests).as("a 4xx is not retried").hasSize(1);

            WebhookStatus chat = dispatcher.statuses().get(0);
            assertThat(chat.name()).isEqualTo("chat");
            assertThat(chat.failed()).isEqualTo(1);
            assertThat(chat.retries()).isEqualTo(3);
            assertThat(chat.delivered()).isZero();
            assertThat(chat.failing()).isTrue();
            assertThat(chat.lastHttpStatus()).isEqualTo(500);
            assertThat(chat.lastError()).isEqualTo("gave up after 4 attempts: HTTP 500");
            assertThat(chat.lastAttempt()).isNotNull();
            assertThat(chat.waiting()).isZero();
            assertThat(dispatcher.statuses().get(1).lastError()).isEqualTo("refused: HTTP 410");
            assertThat(failures).containsKeys("chat", "audit");
            assertThat(dispatcher.pending()).isZero();

            // the receiver comes back: the next event is delivered and the light turns green
            down.status.set(200);
            dispatcher.publish(AmqpLifecycleEventsTest.oneOfEach().get(2));
            await(() -> dispatcher.statuses().get(0).delivered() == 1, 5000);
            assertThat(dispatcher.statuses().get(0).failing()).isFalse();
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfGrowing() throws Exception {
        WebhookDispatcher.Settings tiny = new WebhookDispatcher.Settings(1, Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(2), 2, 1);
        try (WebhookReceiver slow = new WebhookReceiver(200)) {
            // 60 events published at once outrun one worker and a queue of 2
            try (WebhookDispatcher dispatcher = new WebhookDispatcher(List.of(new Webhook("ci", slow.url(), SECRET)), tiny,
                    new WebhookDispatcher.Listener() { })) {
                for (LifecycleEvent e : AmqpLifecycleEventsTest.oneOfEach()) {
                    for (int i = 0; i < 10; i++) {
                        dispatcher.publish(e);
                    }
                }
                await(() -> dispatcher.pending() == 0, 5000);
                WebhookStatus s = dispatcher.statuses().getFirst();
                assertThat(s.delivered() + s.failed()).isEqualTo(60);
                assertThat(s.failed()).as("dropped beyond the bound").isPositive();
                assertThat(s.lastError()).isNotNull();
                assertThat(slow.requests).hasSize((int) s.delivered());
            }
        }
    }

    static void await(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(10);
        }
    }
}
