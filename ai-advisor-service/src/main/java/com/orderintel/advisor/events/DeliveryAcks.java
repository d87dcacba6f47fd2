package com.orderintel.advisor.events;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Acknowledges one channel's deliveries in bulk ({@code basic.ack multiple=true}) once each of them is finished, in
 * delivery order: a tag is covered by an ack only when it and every earlier delivery on the channel has finished, so
 * an event still waiting for its alert's confirm is never acked by a later one. A failed event is rejected on its
 * own, at once (without requeue: the queue dead-letters it) and before any bulk ack could cover it (both under one
 * lock). Acks go out when {@code batch} finished events are waiting or {@code linger} after the first of them,
 * instead of one frame and one broker round of work per event.
 * <p>
 * A delivery never finished (the service is draining) stays pending: nothing after it is acked on this channel and
 * the broker requeues it when the channel closes.
 */
final class DeliveryAcks {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAcks.class);
    private static final byte PENDING = 0;
    private static final byte DONE = 1;
    private static final byte REJECTED = 2;

    private static final class Delivery {
        final long tag;
        byte state = PENDING;

        Delivery(long tag) {
            this.tag = tag;
        }
    }

    private final Channel channel;
    private final int batch;
    private final long lingerMicros;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<Delivery> order = new ArrayDeque<>();
    private final Map<Long, Delivery> byTag = new HashMap<>();
    /** Highest finished tag whose every predecessor is finished too, and the last one acked. */
    private long ackable;
    private long acked;
    private int waiting;
    private boolean flushScheduled;

    DeliveryAcks(Channel channel, int batch, long lingerMicros, ScheduledExecutorService timer) {
        this.channel = channel;
        this.batch = Math.max(1, batch);
        this.lingerMicros = lingerMicros;
        this.timer = timer;
    }

    synchronized void delivered(long tag) {
        Delivery d = new Delivery(tag);
        order.addLast(d);
        byTag.put(tag, d);
    }

    /** The event with this tag is done: acked (in bulk, soon) when {@code ok}, else rejected now. */
    synchronized void finished(long tag, boolean ok) {
        Delivery d = byTag.remove(tag);
        if (d == null) {
            return;
        }
        d.state = ok ? DONE : REJECTED;
        if (!ok) {
            try {
                channel.basicReject(tag, false);
            } catch (IOException | RuntimeException e) {
                log.debug("reject of {} not sent ({}); the broker redelivers it", tag, e.getMessage());
            }
        }
        while (!order.isEmpty() && order.peekFirst().state != PENDING) {
            Delivery head = order.pollFirst();
            if (head.state == DONE) {
                ackable = head.tag;
                waiting++;
            }
        }
        if (waiting >= batch) {
            flush();
        } else if (waiting > 0 && !flushScheduled) {
            flushScheduled = true;
            timer.schedule(this::lingered, lingerMicros, TimeUnit.MICROSECONDS);
        }
    }

    private synchronized void lingered() {
        flushScheduled = false;
        flush();
    }

    /** Sends the ack for everything finished so far. */
    synchronized void flush() {
        if (ackable <= acked) {
            return;
        }
        try {
            channel.basicAck(ackable, true);
        } catch (IOException | RuntimeException e) {
            // the channel is gone: the broker requeues what it had not seen acked (duplicates are claimed away)
            log.debug("ack up to {} not sent ({}); the broker redelivers", ackable, e.getMessage());
        }
        acked = ackable;
        waiting = 0;
    }

    /** Deliveries started or waiting and not yet finished. */
    synchronized int pending() {
        return byTag.size();
    }
}
