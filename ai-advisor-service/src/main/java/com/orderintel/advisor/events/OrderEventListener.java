package com.orderintel.advisor.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.serving.NoteCapture;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.advisor.web.ModelUnavailableException;
import com.orderintel.dataset.Identifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import com.rabbitmq.client.Channel;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumes order-service's {@code order.created} events: score, alert when anomalous, then ack.
 * <ul>
 *   <li>unparseable or invalid event: to the dead-letter queue with the reason in {@code x-advisor-error};</li>
 *   <li>transient failure (no model yet, no publisher confirm): bounded retries with back-off, then
 *   dead-lettered with the reason;</li>
 *   <li>an order id already handled (or in flight) is acked without a second alert.</li>
 * </ul>
 * Manual acks: an event is acked (in bulk, by {@link DeliveryAcks}) only once its work completes, i.e. after the
 * alert or dead letter is confirmed by the broker and its capture row is queued; if the work fails, the event is
 * rejected without requeue and the queue's own dead-letter exchange keeps it. So a crash anywhere means redelivery or
 * a dead letter, never loss. Waiting for confirms asynchronously lets one consumer keep {@code prefetch}
 * alerts in flight: a confirm for a persistent message waits for the broker's disk sync.
 */
class OrderEventListener implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(OrderEventListener.class);

    private final OrderScorer scorer;
    private final AlertPublisher publisher;
    private final EventMetrics metrics;
    private final OrderClaims processed;
    private final EventsProperties properties;
    private final ObjectMapper json;
    /** Reused: binding straight to the record, no tree (the tree is read only for an alert's original_payload). */
    private final ObjectReader eventReader;
    private final NoteCapture notes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    /** Each consumer channel's bulk acker; a channel the container replaced drops out when it closes. */
    private final Map<Channel, DeliveryAcks> acks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ackTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "order-event-acks");
        t.setDaemon(true);
        return t;
    });

    OrderEventListener(OrderScorer scorer, AlertPublisher publisher, EventMetrics metrics, OrderClaims processed,
                       EventsProperties properties, ObjectMapper json, NoteCapture notes) {
        this.notes = notes;
        this.scorer = scorer;
        this.publisher = publisher;
        this.metrics = metrics;
        this.processed = processed;
        this.properties = properties;
        this.json = json;
        this.eventReader = json.readerFor(OrderCreatedEvent.class);
    }

    /**
     * Called on the consumer's delivery thread (manual acks): the delivery is registered with its channel's acker
     * first, so no bulk ack can cover it before it is finished; it is acked once the returned work completes, i.e.
     * after its alert (or dead letter) is confirmed, and rejected to the queue's dead-letter exchange if that fails.
     */
    @Override
    public void onMessage(Message message, Channel channel) {
        DeliveryAcks channelAcks = acks.computeIfAbsent(channel, this::newAcks);
        long tag = message.getMessageProperties().getDeliveryTag();
        channelAcks.delivered(tag);
        if (draining) {
            // Shutting down: not started, never acked. The broker requeues it when the consumer's channel closes,
            // so it goes to another replica (or to us after the restart), not to the dead-letter queue.
            return;
        }
        inFlight.incrementAndGet();
        CompletableFuture<Void> work;
        try {
            work = handle(message);
        } catch (RuntimeException e) {
            log.warn("order event failed: {}", e.toString());
            work = CompletableFuture.failedFuture(e);
        }
        work.whenComplete((ok, error) -> {
            channelAcks.finished(tag, error == null);
            inFlight.decrementAndGet();
        });
    }

    private DeliveryAcks newAcks(Channel channel) {
        channel.addShutdownListener(cause -> acks.remove(channel));
        return new DeliveryAcks(channel, properties.ackBatch(), properties.ackLinger().toNanos() / 1000, ackTimer);
    }

    /**
     * Graceful shutdown, called before the listener container stops: new deliveries are left unstarted and
     * this waits (bounded) until every event already started is finished, then sends the acks still batched, so no
     * alert is confirmed for an event whose ack would then be lost with the channel (which would alert twice).
     *
     * @return the number of events still in flight when the wait ended (0 = drained)
     */
    int drain(java.time.Duration timeout) {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        acks.values().forEach(DeliveryAcks::flush);
        ackTimer.shutdown();
        return inFlight.get();
    }

    private CompletableFuture<Void> handle(Message message) {
        long start = System.nanoTime();
        metrics.consumed();
        OrderCreatedEvent event;
        byte[] body = message.getBody();
        if (body != null && body.length > properties.maxBodyBytes()) {
            // checked before parsing: a huge body must not become a tree, an alert's original_payload or a dedup key
            return deadLetter(message, "poison", "body is " + body.length + " bytes, over the limit of "
                    + properties.maxBodyBytes(), 1);
        }
        try {
            if (!startsAnObject(body)) {
                throw new PoisonMessageException("body is not a JSON object");
            }
            event = eventReader.readValue(body);
            if (event == null) {
                throw new PoisonMessageException("body is not a JSON object");
            }
            if (event.id() == null || event.id().isBlank()) {
                throw new PoisonMessageException("field 'id' is missing");
            }
            // ids become dedup keys, alert fields and captured rows: the platform's one identifier rule
            String badId = Identifiers.problem(event.id());
            if (badId != null) {
                throw new PoisonMessageException("field 'id' " + badId);
            }
            String badProduct = event.productId() == null ? null : Identifiers.problem(event.productId());
            if (badProduct != null) {
                throw new PoisonMessageException("field 'productId' " + badProduct);
            }
            if (event.quantity() != null && event.quantity() < 0) {
                throw new PoisonMessageException("field 'quantity' is negative");
            }
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof PoisonMessageException ? e.getMessage()
                    : "unparseable JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return deadLetter(message, "poison", reason, 1);
        }
        return claimed(event, message, start, System.nanoTime());
    }

    /**
     * Claims the order, then handles it. A claim held by a consumer that has not finished (possibly one killed while
     * holding it) is looked at again every {@code retry-backoff x 5} until it is completed (this copy is then a
     * duplicate) or has expired (then it is ours): the copy is never acked unhandled. Should it still be held after
     * {@code claim-pending-ttl + confirm-timeout}, the copy goes to the dead-letter queue rather than waiting forever.
     */
    private CompletableFuture<Void> claimed(OrderCreatedEvent event, Message message, long start,
                                            long firstLook) {
        String orderId = event.id();
        switch (processed.claim(orderId)) {
            case HANDLED -> {
                metrics.duplicate();
                return CompletableFuture.completedFuture(null);
            }
            case HELD_ELSEWHERE -> {
                Duration waited = Duration.ofNanos(System.nanoTime() - firstLook);
                if (waited.compareTo(properties.claimPendingTtl().plus(properties.confirmTimeout())) > 0) {
                    return deadLetter(message, "retries_exhausted", "order " + orderId
                            + " still claimed by another consumer after " + waited.toSeconds() + " s", 1);
                }
                Executor later = CompletableFuture.delayedExecutor(properties.retryBackoff().toMillis() * 5, TimeUnit.MILLISECONDS);
                return CompletableFuture.supplyAsync(() -> claimed(event, message, start, firstLook), later)
                        .thenCompose(f -> f);
            }
            case WON -> {
                // ours: handled below
            }
        }
        return attempt(event, message, 1).whenComplete((ok, error) -> {
            if (error != null) {
                processed.release(orderId); // not handled: a redelivery must be processed again
            } else {
                processed.complete(orderId);
            }
            metrics.processed(System.nanoTime() - start);
        });
    }

    private CompletableFuture<Void> attempt(OrderCreatedEvent event, Message message, int attempt) {
        CompletableFuture<Void> result;
        try {
            OrderScorer.EventScore s = scorer.score(event);
            notes.note(Source.EVENT, s.predictionId(), event.id(), event.note());
            if (!s.result().anomalous()) {
                return CompletableFuture.completedFuture(null);
            }
            result = publisher.publishAlertAsync(OrderMonitoringAlert.of(event.id(), s, scorer.explain(s), originalPayload(message)))
                    .thenRun(metrics::alertPublished);
        } catch (ModelUnavailableException e) {
            result = CompletableFuture.failedFuture(new AlertPublisher.NotConfirmedException(e.getMessage()));
        } catch (InvalidInputException e) {
            processed.release(event.id());
            return deadLetter(message, "invalid", e.getMessage(), attempt);
        }
        return result.exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (attempt >= properties.maxAttempts()) {
                return deadLetter(message, "retries_exhausted",
                        "gave up after " + attempt + " attempts: " + cause.getMessage(), attempt);
            }
            metrics.retried();
            Executor later = CompletableFuture.delayedExecutor(properties.retryBackoff().toMillis() * attempt, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> attempt(event, message, attempt + 1), later)
                    .thenCompose(f -> f);
        });
    }

    /** Whether the first non-blank byte opens an object (a bare value or array is poison, decided without parsing). */
    private static boolean startsAnObject(byte[] body) {
        if (body == null) {
            return false;
        }
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    /** The event as received, for the alert: parsed again only for the anomalous share (it parsed once already). */
    private JsonNode originalPayload(Message message) {
        try {
            return json.readTree(message.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Completes when the dead letter is confirmed; fails (so the container rejects to the queue's DLX) if not. */
    private CompletableFuture<Void> deadLetter(Message message, String kind, String reason, int attempts) {
        metrics.deadLettered(kind);
        log.warn("order event dead-lettered ({}): {}", kind, reason);
        return publisher.deadLetterAsync(message, reason, attempts);
    }
}
