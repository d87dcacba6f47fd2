package com.orderintel.advisor.events;

import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.advisor.support.TestDatabases;
import com.orderintel.advisor.support.TrainedModels;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded load against the real RabbitMQ: order-service-style events (persistent, with the foreign
 * {@code __TypeId__}) offered open-loop at {@code bench.rate} events/s, end-to-end latency from publish to alert
 * received, zero-loss checks (every anomalous event alerted once, no ordinary one alerted, every event acked,
 * no dead letters). A warm-up of {@code bench.warmup} events at the same rate runs first and is left out of
 * the figures (JIT, connection set-up), as a JMH warm-up would be. Not in the default suite; see
 * ai-advisor-service/load/events-benchmark.sh and docs/benchmarks.md.
 */
@Tag("benchmark")
@BrokerRunTest
@SpringBootTest(properties = {
        "spring.cloud.vault.enabled=false", "advisor.models.load-attempts=1",
        "logging.level.com.orderintel.advisor.events=ERROR"})
class EventsLoadBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.events", 100_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 50_000);
    private static final long MAX_SECONDS = Long.getLong("bench.max-seconds", 180);
    /** Offered load in events/s; 0 = as fast as the publisher can (the ceiling; latency is then queueing). */
    private static final int RATE = Integer.getInteger("bench.rate", 5_000);
    /** Every n-th event is anomalous and yields an alert: 1 = all (worst case, an alert per event), 10 = the 10%
     *  contamination the model is trained with. The others are ordinary orders and must produce no alert. */
    private static final int ANOMALOUS_EVERY = Integer.getInteger("bench.anomalous-every", 10);
    private static final TestTopology NAMES = TestTopology.unique("bench");
    private static final String EXCHANGE = NAMES.exchange();
    private static final String QUEUE = NAMES.queue();
    private static final TrainedModels MODELS = TrainedModels.create();
    /** With -Dbench.capture=true every scored event is also captured to a throw-away PostgreSQL database. */
    private static final boolean CAPTURE = Boolean.getBoolean("bench.capture");
    private static final ThrowawayDatabase DB = CAPTURE ? new ThrowawayDatabase("advisor_bench") : null;
    private static final CachingConnectionFactory CF = new CachingConnectionFactory("127.0.0.1", 5672);
    private static final RabbitAdmin ADMIN = new RabbitAdmin(CF);

    static {
        NAMES.declare(ADMIN);
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        NAMES.properties().forEach((k, v) -> r.add(k, () -> v));
        r.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
        if (CAPTURE) {
            TestDatabases.datasource(r, DB);
        }
    }

    @Autowired
    RabbitListenerEndpointRegistry listeners;

    @Autowired
    MeterRegistry meters;

    /** Stop the app's consumers first: a running listener container would re-declare the queues we delete. */
    @AfterAll
    void cleanUp() {
        NAMES.tearDown(listeners, ADMIN, CF);
        if (DB != null) {
            DB.close();
        }
    }

    /** What order-service's RabbitTemplate + Jackson2JsonMessageConverter put on the wire: persistent JSON with a
     *  __TypeId__ naming its own class. */
    private static final AMQP.BasicProperties ORDER_SERVICE_PROPERTIES = new AMQP.BasicProperties.Builder()
            .contentType("application/json").contentEncoding("UTF-8").deliveryMode(2).priority(0)
            .headers(java.util.Map.of("__TypeId__", "com.shop.orderservice.dto.OrderCreatedEvent")).build();

    private static boolean anomalous(int seq) {
        return seq % ANOMALOUS_EVERY == 0;
    }

    @Test
    void throughputAndEndToEndLatency() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        while (ADMIN.getQueueInfo(QUEUE) == null || ADMIN.getQueueInfo(QUEUE).getConsumerCount() == 0) {
            assertThat(System.nanoTime()).as("consumer up").isLessThan(deadline);
            Thread.sleep(50);
        }
        int total = WARMUP + EVENTS;
        long[] latencyNanos = new long[total];
        BitSet seen = new BitSet(total);
        int expectedAlerts = (int) java.util.stream.IntStream.range(0, total).filter(EventsLoadBenchmark::anomalous).count();
        CountDownLatch allAlerts = new CountDownLatch(expectedAlerts);
        long[] sentAt = new long[total];
        // The harness stands in for order-service and an alert consumer; it is kept cheap (raw channels, the
        // order id read from the alert's header, no JSON parsing) so that on this 2-core machine the CPU goes
        // to the broker and the service under test.
        String idPrefix = "bench-" + NAMES.queue() + "-";
        Connection harness = CF.createConnection();
        Channel alertsChannel = harness.createChannel(false);
        alertsChannel.basicQos(500);
        alertsChannel.basicConsume(NAMES.alerts(), false, new DefaultConsumer(alertsChannel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) throws IOException {
                long now = System.nanoTime();
                int i = Integer.parseInt(props.getHeaders().get("order_id").toString().substring(idPrefix.length()));
                synchronized (seen) {
                    if (!seen.get(i)) {
                        seen.set(i);
                        latencyNanos[i] = now - sentAt[i];
                        allAlerts.countDown();
                    }
                }
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
        Timer handled = meters.get("advisor.events.processing").timer(); // receive-to-ack, one per event

        Channel orderService = harness.createChannel(false);
        long start = System.nanoTime();
        long measuredFrom = start;
        double handledBefore = 0;
        for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
            if (RATE > 0) { // open loop: event i is due at start + i/RATE, whatever the consumer does
                long due = start + (long) (i * (1e9 / RATE));
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.min(200_000L, due - System.nanoTime()));
                }
            }
            if (i == WARMUP) {
                measuredFrom = System.nanoTime();
                handledBefore = handled.count(); // at full speed a warm-up backlog is still being worked off
            }
            byte[] body = ("{\"id\":\"" + idPrefix + i + "\",\"productId\":\"SKU-1\",\"quantity\":" + (anomalous(i) ? 40 : 2)
                    + ",\"status\":\"CREATED\"}").getBytes(StandardCharsets.UTF_8);
            sentAt[i] = System.nanoTime();
            orderService.basicPublish(EXCHANGE, "order.created", ORDER_SERVICE_PROPERTIES, body);
        }
        long published = System.nanoTime();
        allAlerts.await(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
        while (handled.count() < total && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        long end = System.nanoTime();
        harness.close();

        int received;
        int unexpected;
        synchronized (seen) {
            received = seen.cardinality();
            unexpected = (int) seen.stream().filter(i -> !anomalous(i)).count();
        }
        long[] lat = Arrays.stream(latencyNanos, WARMUP, total).filter(v -> v > 0).sorted().toArray();
        double secs = (end - measuredFrom) / 1e9;
        System.out.printf(Locale.ROOT, "BENCH rate=%s events=%d (+%d warm-up) anomalous=1/%d handled=%d alerts=%d/%d lost=%d "
                        + "publish=%.1fs measured=%.1fs throughput=%.0f events/s e2e(alerts) p50=%.1fms p99=%.1fms max=%.1fms%n",
                RATE > 0 ? RATE + "/s" : "max", EVENTS, WARMUP, ANOMALOUS_EVERY, handled.count(), received, expectedAlerts,
                expectedAlerts - received, (published - start) / 1e9, secs, (total - handledBefore) / secs,
                percentile(lat, 0.50), percentile(lat, 0.99), percentile(lat, 1.0));
        if (RATE > 0) { // p99 per second of offered load: tells a stall from a steady state
            StringBuilder perSecond = new StringBuilder("BENCH p99 per second (ms):");
            for (int from = WARMUP; from < total; from += RATE) {
                long[] w = Arrays.stream(latencyNanos, from, Math.min(total, from + RATE)).filter(v -> v > 0).sorted().toArray();
                perSecond.append(String.format(Locale.ROOT, " %.0f", percentile(w, 0.99)));
            }
            System.out.println(perSecond);
        }
        assertThat(received).as("zero loss: every anomalous event alerted").isEqualTo(expectedAlerts);
        assertThat(unexpected).as("ordinary orders alerted").isZero();
        assertThat(handled.count()).as("every event acked").isEqualTo(total);
        assertThat(ADMIN.getQueueInfo(NAMES.deadLetterQueue()).getMessageCount()).as("dead letters").isZero();
        if (CAPTURE) { // every scored event reaches the store (none dropped), after the writer catches up
            long captureDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (DB.count("SELECT count(*) FROM scored_orders") < total && System.nanoTime() < captureDeadline) {
                Thread.sleep(100);
            }
            long captured = DB.count("SELECT count(*) FROM scored_orders");
            System.out.printf(Locale.ROOT, "BENCH capture captured=%d dropped=%.0f%n", captured,
                    meters.get("advisor.capture.dropped").counter().count());
            assertThat(captured).as("every scored event captured").isEqualTo(total);
        }
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }
}
