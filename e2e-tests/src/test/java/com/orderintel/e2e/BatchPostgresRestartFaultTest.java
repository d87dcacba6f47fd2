package com.orderintel.e2e;

import com.orderintel.dataset.DataGenerator;
import com.orderintel.registry.FileSystemModelStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 2: PostgreSQL crash-restarted ({@code pg_ctl restart -m immediate} on the suite's own cluster) while the
 * training runner's {@code infer} (batch-inference, a separate JVM) is writing a batch. The run must fail with a clear
 * one-line error and leave only whole chunks; re-running the same run id must resume after the last committed chunk
 * and finish with every input row written exactly once.
 */
@Tag("faults")
class BatchPostgresRestartFaultTest {

    static final int ROWS = 400_000;
    static final int CHUNK = 2_000;

    @TempDir
    Path work;

    @Test
    void aBatchCutByADatabaseRestartResumesWithoutDuplicates() throws Exception {
        Path registry = work.resolve("registry");
        FixtureModels.publish(FileSystemModelStore.at(registry), "v1", "production");
        Path orders = work.resolve("orders.csv");
        DataGenerator.orders(orders, ROWS, 0.05, 21);
        String db = FaultInfra.createDatabase("faults_batch_");
        String runId = "faults-" + db;
        try {
            String[] infer = {"infer", "--model-uri", "file://" + registry + "/order-anomaly@production",
                    "--data", orders.toString(), "--jdbc-url", FaultInfra.jdbcUrl(db), "--user", "postgres",
                    "--run-id", runId, "--chunk-size", String.valueOf(CHUNK)};
            Processes.Background first = Processes.startRunner(Map.of(), work, infer);
            // mid-batch: some chunks committed, most of the input still to go
            long deadline = System.nanoTime() + 120_000_000_000L;
            long writtenAtFault = 0;
            while (writtenAtFault < 20_000 && first.process().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                writtenAtFault = progress(db, runId)[0];
            }
            assertThat(first.process().isAlive()).as("the run is still going when the database restarts").isTrue();
            FaultInfra.inject("pg-restart");
            Processes.Run failed = first.await(5);
            long[] atFailure = progress(db, runId);
            long rowsAtFailure = rows(db, runId);

            Processes.Run resumed = Processes.runner(Map.of(), work, infer);
            long[] done = progress(db, runId);
            long rows = rows(db, runId);
            long distinct = distinctOrders(db, runId);
            String error = failed.output().lines().filter(l -> l.startsWith("error")).findFirst().orElse("(no error line)");

            Map<String, Object> f = FaultInfra.figures();
            f.put("rows_in", ROWS);
            f.put("chunk", CHUNK);
            f.put("rows_committed_at_fault", rowsAtFailure);
            f.put("first_exit", failed.exitCode());
            f.put("resumed", resumed.output().contains("resuming run"));
            f.put("rows_written", rows);
            f.put("duplicate_rows", rows - distinct);
            f.put("lost", ROWS - distinct);
            f.put("run_counter_written", done[0]);
            FaultInfra.report("postgres-restart-batch", f);
            System.out.println("first run's error: " + error);

            assertThat(failed.exitCode()).as("the cut run fails:%n%s", failed.output()).isNotZero();
            assertThat(error).as("one clear line, no stack trace").startsWith("error: ").doesNotContain("Exception")
                    .doesNotContain("jdbc:");
            assertThat(failed.output()).doesNotContain("\tat ");
            assertThat(rowsAtFailure).as("only whole chunks committed, matching the run's counter")
                    .isEqualTo(atFailure[0]).matches(n -> n % CHUNK == 0, "a multiple of the chunk size");
            assertThat(resumed.exitCode()).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains("resuming run " + runId + " after line");
            assertThat(rows).as("rows written").isEqualTo(ROWS);
            assertThat(distinct).as("distinct orders written").isEqualTo(ROWS);
            assertThat(done[0]).as("the run's rows_written counter").isEqualTo(ROWS);
            assertThat(done[1]).as("status SUCCEEDED").isEqualTo(1);
        } finally {
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(FaultInfra.jdbcUrl("postgres"), "postgres", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** {rows_written, 1 if SUCCEEDED} of the run, {0, 0} before it exists or while the database is away. */
    private static long[] progress(String db, String runId) {
        try (Connection c = DriverManager.getConnection(FaultInfra.jdbcUrl(db), "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT rows_written, status FROM inference_runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[]{rs.getLong(1), "SUCCEEDED".equals(rs.getString(2)) ? 1 : 0} : new long[]{0, 0};
            }
        } catch (SQLException e) {
            return new long[]{0, 0}; // not migrated yet, or restarting
        }
    }

    private static long rows(String db, String runId) throws SQLException {
        return count(db, "SELECT count(*) FROM order_anomalies WHERE run_id = ?", runId);
    }

    private static long distinctOrders(String db, String runId) throws SQLException {
        return count(db, "SELECT count(DISTINCT order_id) FROM order_anomalies WHERE run_id = ?", runId);
    }

    private static long count(String db, String sql, String runId) throws SQLException {
        try (Connection c = DriverManager.getConnection(FaultInfra.jdbcUrl(db), "postgres", "");
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
