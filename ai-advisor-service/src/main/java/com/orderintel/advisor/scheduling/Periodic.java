package com.orderintel.advisor.scheduling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import java.time.Duration;

/**
 * The service's periodic refreshers (alias watcher, feedback gauges, shadow feedback gauges) run on Spring's one task
 * scheduler ({@link SchedulingConfiguration}); each registers here from its {@code SchedulingConfigurer}. A pass is
 * guarded: whatever it throws (an Error included) is logged and the next pass runs, since a scheduler runs no further
 * passes of a periodic task that threw.
 */
public final class Periodic {

    private static final Logger log = LoggerFactory.getLogger(Periodic.class);

    private Periodic() {
    }

    /** Runs {@code pass} every {@code every} (first after one interval); a null, zero or negative interval schedules nothing. */
    public static void fixedDelay(ScheduledTaskRegistrar registrar, String name, Duration every, Runnable pass) {
        if (every == null || every.isZero() || every.isNegative()) {
            return;
        }
        registrar.addFixedDelayTask(new FixedDelayTask(() -> {
            try {
                pass.run();
            } catch (Throwable e) { // the schedule must survive any one pass
                log.error("{} failed; the next pass runs in {}: {}", name, every, e.getMessage() != null ? e.getMessage() : e.toString());
            }
        }, every, every));
    }
}
