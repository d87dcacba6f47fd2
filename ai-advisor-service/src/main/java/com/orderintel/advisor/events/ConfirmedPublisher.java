package com.orderintel.advisor.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.beans.factory.DisposableBean;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes with publisher confirms and many messages in flight per channel: each publish returns a future
 * that completes when the broker acks it (fails on nack, return as unroutable, or channel loss).
 * <p>
 * Written by hand, on the RabbitMQ Java client that spring-amqp already uses, following RabbitMQ's documented
 * "handle publisher confirms asynchronously" strategy (sequence number map, {@code multiple} acks). Why not
 * RabbitTemplate's correlated confirms: the CachingConnectionFactory keeps every channel with an unconfirmed
 * message out of its cache and parks a pooled thread on {@code waitForConfirms} until the confirm arrives, so
 * with hundreds of alerts in flight it opened and closed a channel per message (measured: 1,000-2,900 events/s,
 * the broker's channel churn the limit). Here a few long-lived channels ("lanes") carry everything.
 * <p>
 * Channels are opened on the publisher connection of Spring's factory (same addresses, credentials and TLS as
 * the consumer; a separate TCP connection, as RabbitMQ recommends, so publisher flow control cannot stall
 * consumers). A lost channel fails its in-flight futures (the caller retries, then dead-letters) and the next
 * publish opens a new one.
 */
final class ConfirmedPublisher implements DisposableBean {

    /** Header carrying the channel sequence number, so a basic.return can be matched to its publish. */
    static final String SEQUENCE_HEADER = "x-advisor-publish-seq";

    private static final Logger log = LoggerFactory.getLogger(ConfirmedPublisher.class);

    private final ConnectionFactory connectionFactory;
    private final Lane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    private final MessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();
    /** Completes futures off the connection's reader thread, so callbacks (acks, retries) never stall frame reading. */
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alert-confirms");
        t.setDaemon(true);
        return t;
    });
    /**
     * Fails messages whose confirm is overdue. One sweep over each channel's oldest entries, a few times per timeout,
     * instead of a timer per message ({@code CompletableFuture.orTimeout} scheduled and woke a timer thread for every
     * alert: 4 % of the consumer's CPU and a thread of its own at thousands of alerts a second).
     */
    private final ScheduledExecutorService overdue = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alert-confirm-timeouts");
        t.setDaemon(true);
        return t;
    });
    private final Duration confirmTimeout;

    /**
     * @param confirmTimeout how long a message may wait for its confirm before its future fails (checked every quarter
     *                       of it, so it fails within 1.25 x this); also the bound of the shutdown drain
     */
    ConfirmedPublisher(ConnectionFactory connectionFactory, int channels, Duration confirmTimeout) {
        ConnectionFactory publisherFactory = connectionFactory.getPublisherConnectionFactory();
        this.connectionFactory = publisherFactory != null ? publisherFactory : connectionFactory;
        this.lanes = new Lane[Math.max(1, channels)];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane();
        }
        this.confirmTimeout = confirmTimeout;
        long sweepMillis = Math.max(10, confirmTimeout.toMillis() / 4);
        overdue.scheduleWithFixedDelay(this::failOverdue, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Publishes {@code message} as mandatory and returns a future that completes when the broker confirmed it,
     * or fails with {@link AlertPublisher.NotConfirmedException} (nack, return as unroutable, channel lost, or no
     * confirm within the confirm timeout). Never throws.
     */
    CompletableFuture<Void> publish(String exchange, String routingKey, Message message) {
        Lane lane = lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
        return lane.publish(exchange, routingKey, message);
    }

    /** Number of messages published and not yet confirmed, over all channels. */
    int inFlight() {
        int n = 0;
        for (Lane lane : lanes) {
            ChannelState s = lane.state;
            n += s == null ? 0 : s.pending.size();
        }
        return n;
    }

    /** Fails, on each channel, the messages published longer than the confirm timeout ago (oldest first). */
    private void failOverdue() {
        long now = System.nanoTime();
        long limit = confirmTimeout.toNanos();
        for (Lane lane : lanes) {
            ChannelState s = lane.state;
            if (s != null) {
                s.failOlderThan(now, limit);
            }
        }
    }

    /** Graceful shutdown: waits (bounded) for outstanding confirms, then closes the channels. */
    @Override
    public void destroy() {
        long deadline = System.nanoTime() + confirmTimeout.toNanos();
        while (inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Lane lane : lanes) {
            lane.close();
        }
        completions.shutdown();
        overdue.shutdown();
    }

    private record Pending(CompletableFuture<Void> future, String exchange, String routingKey, long publishedNanos) {
    }

    /** One channel and the messages it has in flight; replaced as a whole when the channel dies. */
    private final class ChannelState {
        final Channel channel;
        final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
        /** Sequence numbers the broker returned as unroutable; their ack then counts as a failure. */
        final Map<Long, String> returned = new java.util.concurrent.ConcurrentHashMap<>();

        ChannelState(Channel channel) throws IOException {
            this.channel = channel;
            channel.confirmSelect();
            channel.addConfirmListener(this::acked, this::nacked);
            channel.addReturnListener(r -> {
                Object seq = r.getProperties().getHeaders() == null ? null : r.getProperties().getHeaders().get(SEQUENCE_HEADER);
                if (seq != null) {
                    returned.put(Long.parseLong(seq.toString()), r.getReplyCode() + " " + r.getReplyText()
                            + ": no queue bound to " + r.getExchange() + " / " + r.getRoutingKey());
                }
            });
            channel.addShutdownListener(this::lost);
        }

        private void acked(long seq, boolean multiple) {
            settle(seq, multiple, null);
        }

        private void nacked(long seq, boolean multiple) {
            settle(seq, multiple, "broker nacked the message");
        }

        private void settle(long seq, boolean multiple, String failure) {
            Map<Long, Pending> done;
            if (multiple) {
                ConcurrentNavigableMap<Long, Pending> head = pending.headMap(seq, true);
                done = new HashMap<>(head);
                head.keySet().removeAll(done.keySet());
            } else {
                Pending p = pending.remove(seq);
                done = p == null ? Map.of() : Map.of(seq, p);
            }
            if (done.isEmpty()) {
                return;
            }
            Map<Long, String> unroutable = new HashMap<>();
            for (Long s : done.keySet()) {
                String reason = returned.remove(s);
                if (reason != null) {
                    unroutable.put(s, reason);
                }
            }
            completions.execute(() -> done.forEach((s, p) -> {
                String problem = failure != null ? failure + " (" + p.exchange() + " / " + p.routingKey() + ")"
                        : unroutable.containsKey(s) ? "unroutable: " + unroutable.get(s) : null;
                if (problem == null) {
                    p.future().complete(null);
                } else {
                    p.future().completeExceptionally(new AlertPublisher.NotConfirmedException(problem));
                }
            }));
        }

        /** Sequence numbers grow with publish time on a channel, so the overdue ones are a prefix of the map. */
        void failOlderThan(long now, long limitNanos) {
            for (Map.Entry<Long, Pending> e = pending.firstEntry(); e != null && now - e.getValue().publishedNanos() > limitNanos;
                 e = pending.firstEntry()) {
                if (pending.remove(e.getKey(), e.getValue())) {
                    returned.remove(e.getKey());
                    Pending p = e.getValue();
                    completions.execute(() -> p.future().completeExceptionally(
                            new AlertPublisher.NotConfirmedException("no publisher confirm within " + confirmTimeout)));
                }
            }
        }

        private void lost(ShutdownSignalException cause) {
            String reason = "channel closed before the broker confirmed: " + cause.getMessage();
            Map<Long, Pending> lost = new HashMap<>(pending);
            pending.keySet().removeAll(lost.keySet());
            if (!lost.isEmpty()) {
                log.warn("{} alerts in flight when the publishing channel closed; they will be retried", lost.size());
                completions.execute(() -> lost.values().forEach(p -> p.future().completeExceptionally(new AlertPublisher.NotConfirmedException(reason))));
            }
        }
    }

    private static void abort(Channel channel) {
        try {
            channel.abort();
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }

    /** A channel used by one publisher at a time (AMQP channels must not interleave publishes). */
    private final class Lane {
        private final ReentrantLock lock = new ReentrantLock();
        private volatile ChannelState state;

        CompletableFuture<Void> publish(String exchange, String routingKey, Message message) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            lock.lock();
            try {
                ChannelState s = openState();
                long seq = s.channel.getNextPublishSeqNo();
                Map<String, Object> headers = new HashMap<>(message.getMessageProperties().getHeaders());
                headers.put(SEQUENCE_HEADER, Long.toString(seq));
                AMQP.BasicProperties props = converter.fromMessageProperties(message.getMessageProperties(),
                        StandardCharsets.UTF_8.name()).builder().headers(headers).build();
                // before publishing: the ack can beat us back
                s.pending.put(seq, new Pending(future, exchange, routingKey, System.nanoTime()));
                try {
                    s.channel.basicPublish(exchange, routingKey, true, props, message.getBody());
                } catch (IOException | RuntimeException e) {
                    s.pending.remove(seq);
                    future.completeExceptionally(new AlertPublisher.NotConfirmedException("publish failed: " + e.getMessage()));
                    return future;
                }
            } catch (IOException | RuntimeException e) {
                future.completeExceptionally(new AlertPublisher.NotConfirmedException("no channel to the broker: " + e.getMessage()));
            } finally {
                lock.unlock();
            }
            return future;
        }

        /** The lane's channel, opened (again) when missing or closed. Called under the lock. */
        private ChannelState openState() throws IOException {
            ChannelState s = state;
            if (s != null && s.channel.isOpen()) {
                return s;
            }
            if (s != null) {
                abort(s.channel); // an auto-recovered channel must not linger beside the new one
            }
            com.rabbitmq.client.Connection connection = connectionFactory.createConnection().getDelegate();
            if (connection == null) {
                throw new IOException("connection factory gave no native connection");
            }
            s = new ChannelState(connection.createChannel());
            state = s;
            return s;
        }

        void close() {
            lock.lock();
            try {
                ChannelState s = state;
                if (s != null && s.channel.isOpen()) {
                    try {
                        s.channel.close();
                    } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                        abort(s.channel);
                    }
                }
                state = null;
            } finally {
                lock.unlock();
            }
        }
    }
}
