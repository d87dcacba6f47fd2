package com.orderintel.runner;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress lines: quiet for the first two seconds, then trees built, rows/s and ETA at most once a second. */
class ProgressReporterTest {

    @Test
    void quietWhileShortThenTreesRowsPerSecondAndEta() {
        AtomicLong now = new AtomicLong(0);
        StringWriter out = new StringWriter();
        ProgressReporter p = new ProgressReporter(new PrintWriter(out), "xgboost", 80_000, now::get);
        now.set(1_500_000_000L);
        p.treesBuilt(10, 200);
        assertThat(out.toString()).isEmpty();
        now.set(4_000_000_000L); // 4 s for 50 trees: 80k rows x 50 / 4 s = 1,000,000 rows/s; 150 left -> 12 s
        p.treesBuilt(50, 200);
        assertThat(out.toString()).isEqualTo("xgboost: 50/200 trees, 1,000,000 rows/s, elapsed 4.0 s, ETA 12.0 s\n");
        now.set(4_500_000_000L);
        p.treesBuilt(55, 200); // within a second of the last line
        assertThat(out.toString().lines()).hasSize(1);
        now.set(8_000_000_000L);
        p.treesBuilt(200, 200);
        assertThat(out.toString().lines()).hasSize(2).last().asString().startsWith("xgboost: 200/200 trees").endsWith("ETA 0.0 s");
    }
}
