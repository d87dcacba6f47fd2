package com.orderintel.advisor.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.TrainedModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded load against the real RabbitMQ: N order-service-style events (every one anomalous, so each yields
 * one alert), end-to-end latency from publish to alert received, zero-loss check. Not in the default suite:
 * mvn -pl ai-advisor-service -am test -Dtest=EventsLoadBenchmark -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false -Dbench.events=100000
 */
@Tag("benchmark")
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
@org.springframework.test.annotation.DirtiesContext
@SpringBootTest(properties = {
        "spring.cloud.vault.enabled=false", "advisor.models.load-attempts=1",
        "advisor.events.concurrency=2", "advisor.events.max-concurrency=2", "advisor.events.prefetch=500",
        "logging.level.com.orderintel.advisor.events=ERROR"})
class EventsLoadBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.events", 100_000);
    private static final long MAX_SECONDS = Long.getLong("bench.max-seconds", 180);
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String EXCHANGE = "order.exchange.bench-" + SUFFIX;
    private static final String QUEUE = "ai-advisor.order-created.bench-" + SUFFIX;
    private static final Queue ALERTS = new Queue("bench-alerts-" + SUFFIX, true, false, false);
    private static final TrainedModels MODELS = TrainedModels.create();
    private static final CachingConnectionFactory CF = new CachingConnectionFactory("127.0.0.1", 5672);
    private static final RabbitAdmin ADMIN = new RabbitAdmin(CF);

    static {
        ADMIN.declareExchange(new TopicExchange(EXCHANGE, true, false));
        ADMIN.declareQueue(ALERTS);
        ADMIN.declareBinding(BindingBuilder.bind(ALERTS).to(new TopicExchange(EXCHANGE)).with("order.monitoring"));
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("advisor.events.enabled", () -> "true");
        r.add("advisor.events.exchange", () -> EXCHANGE);
        r.add("advisor.events.queue", () -> QUEUE);
        r.add("advisor.events.dead-letter-exchange", () -> "ai-advisor.dlx.bench-" + SUFFIX);
        r.add("advisor.events.dead-letter-queue", () -> QUEUE + ".dlq");
        r.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
    }

    @Autowired
    org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry listeners;

    /** Stop the app's consumers first: a running listener container would re-declare the queues we delete. */
    @AfterAll
    void cleanUp() {
        listeners.stop();
        ADMIN.deleteQueue(QUEUE);
        ADMIN.deleteQueue(QUEUE + ".dlq");
        ADMIN.deleteQueue(ALERTS.getName());
        ADMIN.deleteExchange(EXCHANGE);
        ADMIN.deleteExchange("ai-advisor.dlx.bench-" + SUFFIX);
        CF.destroy();
    }

    @Test
    void throughputAndEndToEndLatency() throws Exception {
        RabbitTemplate template = new RabbitTemplate(CF);
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
        while (ADMIN.getQueueInfo(QUEUE) == null || ADMIN.getQueueInfo(QUEUE).getConsumerCount() == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
        long[] latencyNanos = new long[EVENTS];
        BitSet seen = new BitSet(EVENTS);
        // A push consumer for the alerts (basicGet polling would itself be the bottleneck and inflate latency).
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(EVENTS);
        DirectMessageListenerContainer alertsConsumer = new DirectMessageListenerContainer(CF);
        alertsConsumer.setQueueNames(ALERTS.getName());
        alertsConsumer.setPrefetchCount(500);
        alertsConsumer.setMessageListener(m -> {
            try {
                JsonNode p = json.readTree(m.getBody()).get("original_payload");
                int i = p.get("seq").asInt();
                synchronized (seen) {
                    if (!seen.get(i)) {
                        seen.set(i);
                        latencyNanos[i] = System.nanoTime() - p.get("sentAt").asLong();
                        all.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        alertsConsumer.start();
        long start = System.nanoTime();
        for (int i = 0; i < EVENTS && System.nanoTime() < deadline; i++) {
            String body = "{\"id\":\"bench-" + SUFFIX + "-" + i + "\",\"productId\":\"SKU-1\",\"quantity\":40,\"status\":\"CREATED\","
                    + "\"seq\":" + i + ",\"sentAt\":" + System.nanoTime() + "}";
            template.send(EXCHANGE, "order.created", MessageBuilder.withBody(body.getBytes())
                    .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                    .setHeader("__TypeId__", "com.shop.orderservice.dto.OrderCreatedEvent").build());
        }
        long published = System.nanoTime();
        all.await(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), java.util.concurrent.TimeUnit.MILLISECONDS);
        long end = System.nanoTime();
        alertsConsumer.stop();
        int received;
        synchronized (seen) {
            received = seen.cardinality();
        }
        long[] lat = Arrays.stream(latencyNanos).filter(v -> v > 0).sorted().toArray();
        double secs = (end - start) / 1e9;
        System.out.printf(Locale.ROOT, "BENCH events=%d received=%d lost=%d publish=%.1fs total=%.1fs throughput=%.0f/s "
                        + "p50=%.1fms p99=%.1fms max=%.1fms%n", EVENTS, received, EVENTS - received, (published - start) / 1e9, secs,
                received / secs, lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6, lat[lat.length - 1] / 1e6);
        assertThat(received).as("zero loss").isEqualTo(EVENTS);
    }
}
