import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load tooling for the order-event path, on the RabbitMQ Java client alone (run as a single source file:
 * {@code java -cp amqp-client.jar:slf4j-api.jar EventsLoad.java probe|service}; events-benchmark.sh does it).
 * <ul>
 *   <li>{@code probe}: the broker's ceiling. This process does the service's broker work and nothing else:
 *   order-service-style persistent events in, {@code CONSUMERS} consumers with manual acks and the service's
 *   prefetch, a persistent mandatory alert with publisher confirms for the anomalous share (same size as the
 *   service's), the event acked once its alert is confirmed; no parsing, scoring or capture. RATE=0 offers as fast
 *   as the broker takes them with at most {@code WINDOW} events unfinished (a steady state, not a growing queue).</li>
 *   <li>{@code service}: the same events offered open-loop to the real service (its own process, SERVICE_PID,
 *   SERVICE_URL); completion read from its actuator, its CPU time from /proc/PID/stat over the measured window.</li>
 * </ul>
 * Both print one {@code RESULT} line: throughput over the measured window (after WARMUP events), end-to-end
 * latency publish-to-alert-received p50/p99/max, per-second p99, lost/duplicate alerts, and (service) CPU
 * microseconds per event. Configuration by environment variables (see {@link #env}).
 */
public final class EventsLoad {

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static final String MODE_PROBE = "probe";
    static final int PORT = Integer.parseInt(env("RABBIT_PORT", "5672"));
    static final String HOST = env("RABBIT_HOST", "127.0.0.1");
    static final String EXCHANGE = env("EXCHANGE", "order.exchange");
    static final String QUEUE = env("QUEUE", "ai-advisor.order-created");
    static final String ALERTS = env("ALERTS_QUEUE", "alerts");
    static final String QUEUE_TYPE = env("QUEUE_TYPE", "classic");
    static final int RATE = Integer.parseInt(env("RATE", "0"));
    static final int EVENTS = Integer.parseInt(env("EVENTS", "100000"));
    static final int WARMUP = Integer.parseInt(env("WARMUP", "30000"));
    static final int ANOMALOUS_EVERY = Integer.parseInt(env("ANOMALOUS_EVERY", "10"));
    static final int PREFETCH = Integer.parseInt(env("PREFETCH", "300"));
    static final int CONSUMERS = Integer.parseInt(env("CONSUMERS", "2"));
    static final int WINDOW = Integer.parseInt(env("WINDOW", "2000"));
    static final int ALERT_BYTES = Integer.parseInt(env("ALERT_BYTES", "1318"));
    static final long MAX_SECONDS = Long.parseLong(env("MAX_SECONDS", "240"));
    static final boolean RAMP = Boolean.parseBoolean(env("RAMP", "true"));
    static final String SERVICE_URL = env("SERVICE_URL", "");
    static final String SERVICE_PID = env("SERVICE_PID", "");
    static final String PREFIX = env("ID_PREFIX", "load-" + Long.toHexString(System.nanoTime()) + "-");

    /** What order-service's RabbitTemplate + Jackson2JsonMessageConverter put on the wire. */
    static final AMQP.BasicProperties ORDER_PROPS = new AMQP.BasicProperties.Builder()
            .contentType("application/json").contentEncoding("UTF-8").deliveryMode(2).priority(0)
            .headers(Map.of("__TypeId__", "com.shop.orderservice.dto.OrderCreatedEvent")).build();

    static boolean anomalous(int i) {
        return i % ANOMALOUS_EVERY == 0;
    }

    static byte[] order(int i) {
        return ("{\"id\":\"" + PREFIX + i + "\",\"productId\":\"SKU-1\",\"quantity\":" + (anomalous(i) ? 40 : 2)
                + ",\"status\":\"CREATED\"}").getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : MODE_PROBE;
        ConnectionFactory cf = new ConnectionFactory();
        cf.setHost(HOST);
        cf.setPort(PORT);
        if ("delete".equals(mode)) { // a run's exchanges and queues (rabbitmqctl has no command for exchanges)
            try (Connection c = cf.newConnection("load-cleanup"); Channel ch = c.createChannel()) {
                for (String q : env("DELETE_QUEUES", "").split(",")) {
                    if (!q.isBlank()) {
                        ch.queueDelete(q.strip());
                    }
                }
                for (String x : env("DELETE_EXCHANGES", "").split(",")) {
                    if (!x.isBlank()) {
                        ch.exchangeDelete(x.strip());
                    }
                }
            }
            return;
        }
        int total = WARMUP + EVENTS;
        long[] sentAt = new long[total];
        long[] latency = new long[total];
        byte[] alertSeen = new byte[total];
        AtomicLong alerts = new AtomicLong();
        AtomicLong duplicateAlerts = new AtomicLong();
        AtomicLong alertBytes = new AtomicLong();
        Completion completion;
        AtomicLong publishedCount = new AtomicLong();
        try (Connection harness = cf.newConnection("load-harness")) {
            Channel setup = harness.createChannel();
            setup.exchangeDeclare(EXCHANGE, "topic", true);
            setup.queueDeclare(ALERTS, true, false, false, null);
            setup.queueBind(ALERTS, EXCHANGE, "order.monitoring");
            Connection probeConsumers = null;
            Connection probePublisher = null;
            if (MODE_PROBE.equals(mode)) {
                Map<String, Object> args2 = new HashMap<>();
                args2.put("x-queue-type", QUEUE_TYPE);
                setup.queueDeclare(QUEUE, true, false, false, args2);
                setup.queueBind(QUEUE, EXCHANGE, "order.created");
                probeConsumers = cf.newConnection("probe-consumers");
                probePublisher = cf.newConnection("probe-publisher");
                completion = new ProbeService(probeConsumers, probePublisher).start();
            } else {
                completion = new ServiceCompletion(harness.createChannel(), publishedCount);
            }
            Channel alertChannel = harness.createChannel();
            alertChannel.basicQos(500);
            alertChannel.basicConsume(ALERTS, false, new DefaultConsumer(alertChannel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) throws IOException {
                    long now = System.nanoTime();
                    alertBytes.addAndGet(body.length);
                    Object id = props.getHeaders() == null ? null : props.getHeaders().get("order_id");
                    String s = id == null ? "" : id.toString();
                    if (s.startsWith(PREFIX)) {
                        int i = Integer.parseInt(s.substring(PREFIX.length()));
                        synchronized (alertSeen) {
                            if (alertSeen[i] == 0) {
                                latency[i] = now - sentAt[i];
                                alerts.incrementAndGet();
                            } else {
                                duplicateAlerts.incrementAndGet();
                            }
                            alertSeen[i]++;
                        }
                    }
                    getChannel().basicAck(envelope.getDeliveryTag(), true);
                }
            });

            Channel orders = harness.createChannel();
            long deadline = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
            long start = System.nanoTime();
            long measuredFrom = start;
            long measuredFromEpochMs = System.currentTimeMillis();
            long doneBefore = 0;
            long cpuBefore = 0;
            double dueOffset = 0;
            for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
                if (RATE > 0) { // open loop: event i is due at a fixed time, whatever the consumer does
                    long due = start + (long) dueOffset;
                    // the warm-up ramps from a quarter of RATE to RATE (the JIT warms up on traffic, as after a
                    // deployment, instead of building a backlog the measured window then inherits); then RATE
                    double rate = i < WARMUP && RAMP ? RATE * (0.25 + 0.75 * i / WARMUP) : RATE;
                    dueOffset += 1e9 / rate;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(Math.min(200_000L, due - System.nanoTime()));
                    }
                } else {
                    while (i - completion.done() >= WINDOW && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(50_000L);
                    }
                }
                if (i == WARMUP) {
                    measuredFrom = System.nanoTime();
                    measuredFromEpochMs = System.currentTimeMillis();
                    doneBefore = completion.done();
                    cpuBefore = cpuTicks();
                }
                sentAt[i] = System.nanoTime();
                orders.basicPublish(EXCHANGE, "order.created", ORDER_PROPS, order(i));
                publishedCount.incrementAndGet();
            }
            long published = System.nanoTime();
            long done;
            while ((done = completion.done()) < total && System.nanoTime() < deadline) {
                LockSupport.parkNanos(MODE_PROBE.equals(mode) ? 1_000_000L : 20_000_000L);
            }
            long end = System.nanoTime();
            long endEpochMs = System.currentTimeMillis();
            long cpuAfter = cpuTicks();
            if (!MODE_PROBE.equals(mode)) { // the exact count, once the in-flight deliveries are acked
                long exactDeadline = System.nanoTime() + 30_000_000_000L;
                while ((done = ServiceCompletion.handled()) < total && System.nanoTime() < exactDeadline) {
                    Thread.sleep(200);
                }
            }
            long expectedAlerts = java.util.stream.IntStream.range(0, total).filter(EventsLoad::anomalous).count();
            long alertDeadline = System.nanoTime() + 10_000_000_000L;
            while (alerts.get() < expectedAlerts && System.nanoTime() < alertDeadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // a late duplicate would show up here
            completion.close();
            if (probeConsumers != null) {
                probeConsumers.close();
                probePublisher.close();
                setup.queueDelete(QUEUE);
                setup.queueDelete(ALERTS);
            }
            long unexpected = 0;
            synchronized (alertSeen) {
                for (int i = 0; i < total; i++) {
                    if (alertSeen[i] > 0 && !anomalous(i)) {
                        unexpected++;
                    }
                }
            }
            long[] lat = Arrays.stream(latency, WARMUP, total).filter(v -> v > 0).sorted().toArray();
            double secs = (end - measuredFrom) / 1e9;
            long measuredEvents = done - doneBefore;
            double throughput = measuredEvents / secs;
            String cpu = "";
            if (!SERVICE_PID.isEmpty()) {
                long ticks = cpuAfter - cpuBefore; // USER_HZ = 100: 10 ms a tick
                cpu = String.format(Locale.ROOT, " service_cpu_s=%.2f cpu_us_per_event=%.1f", ticks / 100.0,
                        ticks * 10_000.0 / Math.max(1, measuredEvents));
            }
            StringBuilder perSecond = new StringBuilder();
            int step = RATE > 0 ? RATE : 5000;
            for (int from = WARMUP; from < total; from += step) {
                long[] w = Arrays.stream(latency, from, Math.min(total, from + step)).filter(v -> v > 0).sorted().toArray();
                perSecond.append(perSecond.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.0f", pct(w, 0.99)));
            }
            System.out.printf(Locale.ROOT, "RESULT mode=%s queue_type=%s offered=%s events=%d warmup=%d anomalous=1/%d "
                            + "handled=%d/%d alerts=%d/%d lost=%d duplicate_alerts=%d unexpected_alerts=%d publish_s=%.1f "
                            + "measured_s=%.1f throughput=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%s alert_bytes=%d window_epoch_ms=%d-%d p99_per_step_ms=%s%n",
                    mode, QUEUE_TYPE, RATE > 0 ? Integer.toString(RATE) : "max(window=" + WINDOW + ")", EVENTS, WARMUP,
                    ANOMALOUS_EVERY, done, total, alerts.get(), expectedAlerts, expectedAlerts - alerts.get(),
                    duplicateAlerts.get(), unexpected, (published - start) / 1e9, secs, throughput,
                    pct(lat, 0.50), pct(lat, 0.99), pct(lat, 1.0), cpu, alertBytes.get() / Math.max(1, alerts.get() + duplicateAlerts.get()),
                    measuredFromEpochMs, endEpochMs, perSecond);
            if (done < total || alerts.get() < expectedAlerts || unexpected > 0) {
                System.exit(2);
            }
        }
    }

    static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }

    /** utime + stime of the service process (fields 14 and 15 of /proc/PID/stat, in USER_HZ ticks). */
    static long cpuTicks() throws IOException {
        if (SERVICE_PID.isEmpty()) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc", SERVICE_PID, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14, 15 counted from field 3
    }

    interface Completion extends AutoCloseable {
        long done();

        @Override
        default void close() {
        }
    }

    /**
     * Events the service has finished, seen from the broker (no call into the service, whose CPU is being measured):
     * published minus those still ready in its queue. Deliveries the service holds unacked (at most consumers x
     * prefetch, 100 by default) count as done a few milliseconds early; {@link #handled} checks the exact figure from
     * the service's own receive-to-ack timer once the window is closed.
     */
    static final class ServiceCompletion implements Completion {
        private final Channel channel;
        private final AtomicLong published;

        ServiceCompletion(Channel channel, AtomicLong published) {
            this.channel = channel;
            this.published = published;
        }

        @Override
        public long done() {
            try {
                return published.get() - channel.queueDeclarePassive(QUEUE).getMessageCount();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the depth of " + QUEUE + ": " + e.getMessage(), e);
            }
        }

        /** The service's receive-to-ack count from its Prometheus endpoint (read once, after the window). */
        static long handled() throws IOException, InterruptedException {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(SERVICE_URL + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
            long n = -1;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("advisor_events_processing_seconds_count")) {
                    n = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return n;
        }
    }

    /** The service's broker work with nothing else: the ceiling. */
    static final class ProbeService implements Completion {
        private final Connection consumers;
        private final Connection publisher;
        private final AtomicLong done = new AtomicLong();
        private final Lane[] lanes = new Lane[2];
        private final AtomicLong nextLane = new AtomicLong();
        private final byte[] alertBody;

        ProbeService(Connection consumers, Connection publisher) {
            this.consumers = consumers;
            this.publisher = publisher;
            byte[] b = new byte[ALERT_BYTES];
            Arrays.fill(b, (byte) 'x');
            this.alertBody = b;
        }

        ProbeService start() throws IOException {
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = new Lane(publisher.createChannel());
            }
            for (int c = 0; c < CONSUMERS; c++) {
                Channel ch = consumers.createChannel();
                ch.basicQos(PREFETCH);
                ch.basicConsume(QUEUE, false, new DefaultConsumer(ch) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) throws IOException {
                        long deliveryTag = envelope.getDeliveryTag();
                        String orderId = orderId(body);
                        if (orderId == null) { // ordinary order: nothing to publish
                            getChannel().basicAck(deliveryTag, false);
                            done.incrementAndGet();
                            return;
                        }
                        Lane lane = lanes[(int) (nextLane.getAndIncrement() % lanes.length)];
                        Channel consumer = getChannel();
                        lane.publish(orderId, alertBody, () -> {
                            try {
                                consumer.basicAck(deliveryTag, false);
                            } catch (IOException e) {
                                throw new RuntimeException(e);
                            }
                            done.incrementAndGet();
                        });
                    }
                });
            }
            return this;
        }

        /** The order id of an anomalous order (quantity 40 in this load), else null: a byte scan, no parsing. */
        static String orderId(byte[] body) {
            String s = new String(body, StandardCharsets.UTF_8);
            if (!s.contains("\"quantity\":40")) {
                return null;
            }
            int from = s.indexOf("\"id\":\"") + 6;
            return s.substring(from, s.indexOf('"', from));
        }

        @Override
        public long done() {
            return done.get();
        }
    }

    /** One confirm channel; RabbitMQ's documented asynchronous confirm handling (sequence map, multiple acks). */
    static final class Lane {
        private final Channel channel;
        private final ConcurrentNavigableMap<Long, Runnable> pending = new ConcurrentSkipListMap<>();

        Lane(Channel channel) throws IOException {
            this.channel = channel;
            channel.confirmSelect();
            channel.addConfirmListener((seq, multiple) -> {
                if (multiple) {
                    ConcurrentNavigableMap<Long, Runnable> head = pending.headMap(seq, true);
                    head.values().forEach(Runnable::run);
                    head.clear();
                } else {
                    Runnable r = pending.remove(seq);
                    if (r != null) {
                        r.run();
                    }
                }
            }, (seq, multiple) -> {
                throw new IllegalStateException("broker nacked alert " + seq);
            });
        }

        synchronized void publish(String orderId, byte[] body, Runnable onConfirm) throws IOException {
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .deliveryMode(2).messageId(orderId).headers(Map.of("order_id", orderId, "x-advisor-publish-seq",
                            Long.toString(channel.getNextPublishSeqNo()))).build();
            pending.put(channel.getNextPublishSeqNo(), onConfirm);
            channel.basicPublish(EXCHANGE, "order.monitoring", true, props, body);
        }
    }
}
