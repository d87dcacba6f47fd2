package com.orderintel.advisor.scheduling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Spring's scheduling, on for the whole service: Boot provides the one {@code TaskScheduler} that runs the batch cron
 * and every {@link PeriodicRefresh} bean, registered here. A pass is guarded: whatever it throws (an Error included)
 * is logged and the next pass runs, since a scheduler runs no further passes of a periodic task that threw. When the
 * context closes, a pass still running is interrupted (e.g. one waiting for a database that is away), as Spring
 * itself only stops scheduling new passes and would wait for it.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SchedulingConfiguration implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SchedulingConfiguration.class);

    private final Supplier<List<PeriodicRefresh>> refreshers;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    @Autowired
    public SchedulingConfiguration(ObjectProvider<PeriodicRefresh> refreshers) {
        this.refreshers = () -> refreshers.orderedStream().toList(); // resolved when the tasks are registered
    }

    /** For tests that schedule refreshers without a context. */
    public SchedulingConfiguration(List<PeriodicRefresh> refreshers) {
        this.refreshers = () -> refreshers;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        for (PeriodicRefresh r : refreshers.get()) {
            Duration every = r.refreshEvery();
            if (every != null && every.isPositive()) {
                registrar.addFixedDelayTask(new FixedDelayTask(() -> pass(r, every), every, every));
            }
        }
    }

    private void pass(PeriodicRefresh r, Duration every) {
        if (closed) {
            return;
        }
        Thread self = Thread.currentThread();
        running.add(self);
        try {
            r.refresh();
        } catch (Throwable e) { // the schedule must survive any one pass
            log.error("{} failed; the next pass runs in {}: {}", r.refreshName(), every,
                    e.getMessage() != null ? e.getMessage() : e.toString());
        } finally {
            running.remove(self);
            Thread.interrupted(); // an interrupt meant for this pass does not outlive it on a pooled thread
        }
    }

    /** Interrupts the passes still running (called when the context closes, before the scheduler stops). */
    @EventListener(ContextClosedEvent.class)
    public void interruptRunning() {
        closed = true;
        running.forEach(Thread::interrupt);
    }
}
