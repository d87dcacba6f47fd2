package com.orderintel.advisor.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Start-up check that the broker accepts our queue declarations as they are. RabbitMQ refuses to redeclare a queue
 * with other arguments (PRECONDITION_FAILED, "inequivalent arg"), e.g. the classic {@code ai-advisor.order-created}
 * of earlier releases where a quorum queue is now configured. The service does not migrate it itself: that would
 * mean moving live events between queues, which is the operator's call (docs/events.md says how, with no loss); it
 * refuses to start and says so. A broker that does not answer is not decided here (the consumer keeps retrying).
 */
final class QueueTypeCheck {

    private static final Logger log = LoggerFactory.getLogger(QueueTypeCheck.class);

    private QueueTypeCheck() {
    }

    /** Opens a connection (the admin declares our topology on it) and turns a refusal into a clear error. */
    static void verify(ConnectionFactory connectionFactory, EventsProperties p) {
        try (Connection ignored = connectionFactory.createConnection()) {
            log.debug("order-event queues declared as {}", p.queueType());
        } catch (RuntimeException e) {
            String refusal = refusal(e);
            if (refusal == null) {
                log.warn("order-event queues not checked at start-up (broker not reachable: {}); the consumer retries",
                        e.getMessage());
                return;
            }
            throw new IllegalStateException("RabbitMQ refused the order-event queues as configured ("
                    + p.queueType() + " queue '" + p.queue() + "', dead letters '" + p.deadLetterQueue() + "'): " + refusal
                    + ". A queue of that name exists with other settings, e.g. a classic queue from an earlier release: "
                    + "drain it and delete it (or move its messages with a shovel) so it can be declared again, or set "
                    + "advisor.events.queue-type=" + EventsProperties.CLASSIC + " to keep a classic queue on a single node. "
                    + "See docs/events.md.");
        }
    }

    /** The broker's PRECONDITION_FAILED text anywhere in the cause chain, else null. */
    static String refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("PRECONDITION_FAILED")) {
                int at = m.indexOf("PRECONDITION_FAILED");
                int end = m.indexOf(", class-id", at);
                return m.substring(at, end > 0 ? end : m.length());
            }
        }
        return null;
    }
}
