package com.orderintel.runner;

import com.orderintel.training.TrainingProgress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a tree-ensemble training's progress on stderr (trees built, rows/s, ETA), at most once a second and
 * only once the training has run for more than two seconds, so short runs stay quiet. For a trainer that
 * builds all its trees in one call and cannot report them one by one (XGBoost's native train call),
 * {@link #heartbeat(int)} prints the elapsed time every two seconds until the trees are reported built.
 */
final class ProgressReporter implements TrainingProgress, AutoCloseable {

    private static final long QUIET_NANOS = 2_000_000_000L;
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final String what;
    private final long rows;
    private final java.util.function.LongSupplier clock;
    private final long start;
    private long lastPrint;
    private volatile boolean done;

    ProgressReporter(PrintWriter err, String what, long rows) {
        this(err, what, rows, System::nanoTime);
    }

    /** With a nanosecond clock of the caller's choosing (tests). */
    ProgressReporter(PrintWriter err, String what, long rows, java.util.function.LongSupplier clock) {
        this.err = err;
        this.what = what;
        this.rows = rows;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** Starts printing "still boosting" lines (after two quiet seconds) until all trees are reported or close(). */
    ProgressReporter heartbeat(int trees) {
        Thread.ofPlatform().daemon().name("training-progress").start(() -> {
            try {
                Thread.sleep(QUIET_NANOS / 1_000_000);
                while (!done) {
                    synchronized (this) {
                        if (!done) {
                            err.printf(Locale.ROOT, "%s: building %d trees on %,d rows, elapsed %.1f s (one native call: no per-tree count)%n",
                                    what, trees, rows, (clock.getAsLong() - start) / 1e9);
                            err.flush();
                        }
                    }
                    Thread.sleep(2 * EVERY_NANOS / 1_000_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return this;
    }

    @Override
    public void close() {
        done = true;
    }

    @Override
    public synchronized void treesBuilt(int built, int total) {
        if (built >= total) {
            done = true;
        }
        long now = clock.getAsLong();
        long elapsed = now - start;
        if (elapsed < QUIET_NANOS || (now - lastPrint < EVERY_NANOS && built < total) || built <= 0) {
            return;
        }
        lastPrint = now;
        double seconds = elapsed / 1e9;
        double eta = seconds / built * (total - built);
        err.printf(Locale.ROOT, "%s: %d/%d trees, %,.0f rows/s, elapsed %.1f s, ETA %.1f s%n", what, built, total,
                rows * (double) built / seconds, seconds, eta);
        err.flush();
    }
}
