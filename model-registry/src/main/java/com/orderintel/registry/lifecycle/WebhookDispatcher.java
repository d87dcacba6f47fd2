package com.orderintel.registry.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers every lifecycle event to every configured webhook: {@code POST} of the event's JSON
 * ({@link LifecycleEventCodec}, the body the AMQP message carries) signed as {@link WebhookSignature} says.
 *
 * <p>{@link #publish} only enqueues (never blocks, never throws): deliveries wait in one bounded in-memory queue
 * ({@link Settings#queueCapacity()}, retries waiting for their turn included); beyond it an event is dropped for that
 * webhook and counted as failed with the reason. Worker threads send; a 2xx answer is delivered; a network error, a
 * timeout, 408, 429 or 5xx is retried with exponential back-off ({@code initialBackoff * 2^(attempt-1)}, capped at
 * {@code maxBackoff}, with jitter) up to {@code maxAttempts} attempts, then failed; another 4xx is a permanent refusal
 * (failed at once). Redirects are not followed. Each webhook's {@link WebhookStatus} (delivered, failed, retries,
 * last attempt, last error) is there for a console; {@link Listener} lets a server count them as metrics.
 * Deliveries still queued when the dispatcher closes are lost (the events stay in the store's alias history).
 */
public final class WebhookDispatcher implements LifecycleEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** How hard to try: attempts per event, back-off, the timeout of one request, the queue bound, worker threads. */
    public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout,
                           int queueCapacity, int workers) {
        public static final Settings DEFAULTS = new Settings(6, Duration.ofSeconds(1), Duration.ofMinutes(1),
                Duration.ofSeconds(10), 10_000, 2);

        public Settings {
            if (maxAttempts < 1 || queueCapacity < 1 || workers < 1 || initialBackoff.isNegative()
                    || maxBackoff.compareTo(initialBackoff) < 0 || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("webhook settings out of range: " + maxAttempts + " attempts, back-off "
                        + initialBackoff + ".." + maxBackoff + ", timeout " + requestTimeout + ", queue " + queueCapacity
                        + ", workers " + workers);
            }
        }
    }

    /** Told about each final outcome (e.g. to count it as a metric); called on a worker thread, must not block. */
    public interface Listener {
        default void delivered(Webhook webhook, LifecycleEvent event, int attempts) {
        }

        default void failed(Webhook webhook, LifecycleEvent event, int attempts, String error) {
        }

        default void retried(Webhook webhook, LifecycleEvent event, int attempt, String error) {
        }
    }

    private final Map<String, State> webhooks = new LinkedHashMap<>();
    private final Settings settings;
    private final Listener listener;
    private final HttpClient http;
    private final DelayQueue<Delivery> queue = new DelayQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    public WebhookDispatcher(List<Webhook> webhooks, Settings settings, Listener listener) {
        for (Webhook w : webhooks) {
            if (this.webhooks.put(w.name(), new State(w)) != null) {
                throw new IllegalArgumentException("two webhooks are named " + w.name());
            }
        }
        this.settings = settings;
        this.listener = listener;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (int i = 0; i < (webhooks.isEmpty() ? 0 : settings.workers()); i++) {
            workers.add(Thread.ofPlatform().daemon().name("webhook-" + i).start(this::work));
        }
    }

    public WebhookDispatcher(List<Webhook> webhooks) {
        this(webhooks, Settings.DEFAULTS, new Listener() { });
    }

    @Override
    public void publish(LifecycleEvent event) {
        if (webhooks.isEmpty() || closed) {
            return;
        }
        byte[] body;
        try {
            body = LifecycleEventCodec.write(event);
        } catch (RuntimeException e) {
            log.warn("lifecycle event {} not sent to webhooks, it is malformed: {}", event.eventId(), e.getMessage());
            return;
        }
        for (State s : webhooks.values()) {
            if (pending.incrementAndGet() > settings.queueCapacity()) {
                pending.decrementAndGet();
                finish(s, new Delivery(s, event, body, 0, 0), "dropped: the webhook queue is full ("
                        + settings.queueCapacity() + " deliveries waiting)", 0);
                continue;
            }
            s.queued();
            queue.put(new Delivery(s, event, body, 1, System.nanoTime()));
        }
    }

    private void work() {
        while (!closed) {
            Delivery d;
            try {
                d = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                attempt(d);
            } catch (RuntimeException | Error e) { // a worker must outlive any one delivery
                log.error("webhook {}: delivering {} failed unexpectedly: {}", d.state.webhook.name(), d.event.eventId(), e.toString());
                pending.decrementAndGet();
                d.state.done();
            }
        }
    }

    private void attempt(Delivery d) {
        State s = d.state;
        s.attempted();
        String error;
        int status = 0;
        try {
            HttpRequest request = HttpRequest.newBuilder(s.webhook.url())
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "model-registry-webhooks/" + LifecycleEvent.SCHEMA_VERSION)
                    .header(WebhookSignature.SIGNATURE, WebhookSignature.sign(s.webhook.secret(), d.body))
                    .header(WebhookSignature.EVENT_ID, d.event.eventId())
                    .header(WebhookSignature.EVENT_TYPE, d.event.type())
                    .header(WebhookSignature.TIMESTAMP, String.valueOf(Instant.now().getEpochSecond()))
                    .header(WebhookSignature.ATTEMPT, String.valueOf(d.attempt))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body))
                    .build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                pending.decrementAndGet();
                s.done();
                s.delivered(status);
                listener.delivered(s.webhook, d.event, d.attempt);
                return;
            }
            error = "HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.decrementAndGet();
            s.done();
            return;
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        boolean retryable = status == 0 || status == 408 || status == 429 || status >= 500;
        if (retryable && d.attempt < settings.maxAttempts() && !closed) {
            s.retried(error, status);
            listener.retried(s.webhook, d.event, d.attempt, error);
            queue.put(d.next(backoff(d.attempt)));
            return;
        }
        pending.decrementAndGet();
        s.done();
        finish(s, d, (retryable ? "gave up after " + d.attempt + " attempts: " : "refused: ") + error, status);
    }

    private void finish(State s, Delivery d, String error, int status) {
        s.failed(error, status);
        log.warn("webhook {} ({}): event {} {} of {} not delivered, {}", s.webhook.name(), s.webhook.displayUrl(),
                d.event.type(), d.event.eventId(), d.event.model(), error);
        listener.failed(s.webhook, d.event, d.attempt, error);
    }

    /** Back-off before attempt {@code attempt + 1}: doubling from the initial one, capped, +-20 % jitter. */
    private long backoff(int attempt) {
        long base = settings.initialBackoff().toNanos() << Math.min(attempt - 1, 30);
        long capped = Math.min(Math.max(base, 0), settings.maxBackoff().toNanos());
        return (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }

    /** Every webhook's status, in configuration order. */
    public List<WebhookStatus> statuses() {
        return webhooks.values().stream().map(State::snapshot).toList();
    }

    /** Deliveries queued or waiting for a retry. */
    public int pending() {
        return pending.get();
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Thread t : workers) {
            try {
                t.join(settings.requestTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        http.close();
    }

    /** One event on its way to one webhook; ordered by when its next attempt is due. */
    private record Delivery(State state, LifecycleEvent event, byte[] body, int attempt, long dueNanos) implements Delayed {
        Delivery next(long delayNanos) {
            return new Delivery(state, event, body, attempt + 1, System.nanoTime() + delayNanos);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Delivery) other).dueNanos);
        }
    }

    /** One webhook's counters and last outcome. */
    private static final class State {
        final Webhook webhook;
        private long delivered;
        private long failed;
        private long retries;
        private long waiting;
        private Instant lastAttempt;
        private Instant lastSuccess;
        private Instant lastFailure;
        private String lastError;
        private int lastStatus;

        State(Webhook webhook) {
            this.webhook = webhook;
        }

        synchronized void queued() {
            waiting++;
        }

        synchronized void done() {
            waiting--;
        }

        synchronized void attempted() {
            lastAttempt = Instant.now();
        }

        synchronized void delivered(int status) {
            delivered++;
            lastSuccess = Instant.now();
            lastStatus = status;
        }

        synchronized void retried(String error, int status) {
            retries++;
            lastError = error;
            lastStatus = status;
        }

        synchronized void failed(String error, int status) {
            failed++;
            lastFailure = Instant.now();
            lastError = error;
            lastStatus = status;
        }

        synchronized WebhookStatus snapshot() {
            return new WebhookStatus(webhook.name(), webhook.displayUrl(), delivered, failed, retries, waiting, lastAttempt,
                    lastSuccess, lastFailure, lastError, lastStatus);
        }
    }
}
