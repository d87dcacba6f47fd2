package com.orderintel.advisor.model;

import com.orderintel.registry.lifecycle.BrokerSettings;
import com.orderintel.registry.lifecycle.LifecycleEvent;
import com.orderintel.registry.lifecycle.LifecycleSubscriber;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes a promotion reach this replica within moments instead of at the next alias poll: with
 * {@code advisor.models.events.amqp-uri} set, the replica consumes the registry's lifecycle exchange through a
 * server-named, exclusive, auto-delete queue of its own bound with {@code alias.#} (every replica hears every move;
 * the queue goes away with the replica) and, when an alias it serves or shadows moved, runs the {@link AliasWatcher}'s
 * check at once: the same load, validation, swap and refusal rules as the poll. Checks are coalesced (a burst of
 * moves is one or two checks) and run on their own thread, so a slow load never holds up the consumer.
 *
 * <p>The poll stays: with the broker away (not reachable at start, or lost later) nothing fails, the subscriber
 * reconnects in the background, and the poll carries moves meanwhile; after each (re)connection one check runs, for
 * moves made while it was away. Bodies are hostile: {@link LifecycleSubscriber} bounds and validates each one (names
 * by the registry's rule) and drops a bad one, counted in {@code advisor_model_alias_events_total{outcome="invalid"}}.
 */
@Component
@EnableConfigurationProperties(AliasEventsProperties.class)
public class AliasEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AliasEvents.class);

    private final AliasEventsProperties properties;
    private final AliasWatcher watcher;
    private final Counter reloads;
    private final Counter ignored;
    private final MeterRegistry registry;
    private final AtomicBoolean checkPending = new AtomicBoolean();
    private ExecutorService checks;
    private volatile LifecycleSubscriber subscriber;

    public AliasEvents(AliasEventsProperties properties, AliasWatcher watcher, MeterRegistry registry) {
        this.properties = properties;
        this.watcher = watcher;
        this.registry = registry;
        this.reloads = outcome("check", "a move of an alias this replica serves: alias check run at once");
        this.ignored = outcome("ignored", "a lifecycle event about an alias this replica does not serve");
    }

    private Counter outcome(String outcome, String description) {
        return Counter.builder("advisor.model.alias.events").tag("outcome", outcome).description(description)
                .register(registry);
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || subscriber != null) {
            return;
        }
        BrokerSettings settings = new BrokerSettings(properties.amqpUri(), properties.exchange(), null);
        checks = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("alias-events").factory());
        LifecycleSubscriber s = new LifecycleSubscriber(settings, LifecycleSubscriber.QueueSpec.exclusive(),
                List.of("alias.#"), this::onEvent, this::checkSoon);
        FunctionCounter.builder("advisor.model.alias.events", s, LifecycleSubscriber::invalid).tag("outcome", "invalid")
                .description("lifecycle messages dropped as invalid (too large, malformed, bad names)").register(registry);
        Gauge.builder("advisor.model.alias.events.connected", s, x -> x.connected() ? 1 : 0)
                .description("1 while this replica consumes the registry's lifecycle events; 0: the alias poll alone")
                .register(registry);
        subscriber = s.start();
        log.info("following alias moves through lifecycle events on {} (exchange {}); the alias poll stays as the fallback",
                settings.redactedUri(), settings.exchange());
    }

    /** One event from the subscriber's consumer thread: decides, never loads here. */
    void onEvent(LifecycleEvent event) {
        if (event.movesAlias() && watcher.follows(event.model(), event.alias())) {
            reloads.increment();
            log.info("lifecycle event {}: {}@{} moved to {}; checking now", event.eventId(), event.model(),
                    event.alias(), event.version());
            checkSoon();
        } else {
            ignored.increment();
        }
    }

    /** Runs the alias check on the events thread unless one is already waiting to run. */
    void checkSoon() {
        ExecutorService executor = checks;
        if (executor == null || !checkPending.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                checkPending.set(false); // a move announced while this check runs gets a check of its own
                try {
                    watcher.checkOnce();
                } catch (Throwable e) { // the thread must outlive any one check
                    log.error("alias check after a lifecycle event failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            checkPending.set(false); // stopping
        }
    }

    /** True while consuming lifecycle events. */
    public boolean connected() {
        LifecycleSubscriber s = subscriber;
        return s != null && s.connected();
    }

    @Override
    public synchronized void stop() {
        if (subscriber != null) {
            subscriber.close();
            subscriber = null;
        }
        if (checks != null) {
            checks.shutdownNow();
            try {
                checks.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            checks = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return subscriber != null;
    }
}
