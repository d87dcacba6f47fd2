package com.orderintel.advisor.scheduling;

import java.time.Duration;

/**
 * A bean that refreshes something on a fixed delay (the alias watcher, the feedback gauges, the shadow feedback
 * gauges). {@link SchedulingConfiguration} runs every one on the service's task scheduler.
 */
public interface PeriodicRefresh {

    /** For the log line of a failed pass. */
    String refreshName();

    /** Delay between passes (the first after one delay); null, zero or negative: never run. */
    Duration refreshEvery();

    /** One pass. */
    void refresh();
}
