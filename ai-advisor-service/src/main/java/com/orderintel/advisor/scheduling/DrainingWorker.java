package com.orderintel.advisor.scheduling;

import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * The life cycle of the service's bounded-queue workers (capture, notes, shadow): one daemon thread runs {@link #drain()} from start until it
 * sees {@link #isRunning()} false and its queue empty; stop waits for that, bounded by the writer's retry backoff plus
 * ten seconds, then interrupts. Stops after the web server and the listeners (which feed the queue) and before the
 * connection pool closes.
 */
public abstract class DrainingWorker implements SmartLifecycle {

    private final String threadName;
    private final Duration retryBackoff;
    private volatile boolean running;
    private Thread worker;

    protected DrainingWorker(String threadName, Duration retryBackoff) {
        this.threadName = threadName;
        this.retryBackoff = retryBackoff;
    }

    /** The worker's loop: runs while {@link #isRunning()} or anything is queued. */
    protected abstract void drain();

    @Override
    public void start() {
        running = true;
        worker = Thread.ofPlatform().daemon().name(threadName).start(this::drain);
    }

    @Override
    public void stop() {
        running = false;
        Thread t = worker;
        if (t != null) {
            try {
                t.join(retryBackoff.plusSeconds(10).toMillis()); // drains what is queued, bounded
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }
}
