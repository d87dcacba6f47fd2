package com.orderintel.runner;

import com.orderintel.training.TrainingProgress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a tree-ensemble training's progress on stderr (trees built, rows/s, ETA), at most once a second and
 * only once the training has run for more than two seconds, so short runs stay quiet.
 */
final class ProgressReporter implements TrainingProgress {

    private static final long QUIET_NANOS = 2_000_000_000L;
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final String what;
    private final long rows;
    private final long start = System.nanoTime();
    private long lastPrint;

    ProgressReporter(PrintWriter err, String what, long rows) {
        this.err = err;
        this.what = what;
        this.rows = rows;
    }

    @Override
    public synchronized void treesBuilt(int built, int total) {
        long now = System.nanoTime();
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
