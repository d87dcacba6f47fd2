package com.orderintel.runner;

import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.batch.RunHistory;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.registry.ModelLoader;
import com.orderintel.runner.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Batch inference against the real PostgreSQL on this machine, in a database created for this class. */
class BatchInferenceCliTest {

    @TempDir
    static Path dir;
    private static ThrowawayDatabase db;
    private static String anomalyUri;
    private static String demandUri;
    private static Path orders;

    @BeforeAll
    static void setUp() throws Exception {
        db = new ThrowawayDatabase("batch_test");
        orders = dir.resolve("orders.csv");
        Path demand = dir.resolve("demand.csv");
        CliRun.of("generate", "orders", "--rows", "2500", "--seed", "3", "--out", orders.toString());
        CliRun.of("generate", "demand", "--rows", "600", "--products", "3", "--seed", "3", "--out", demand.toString());
        String registry = dir.resolve("registry").toUri().toString().replaceAll("/$", "");
        assertThat(CliRun.of("train", "anomaly", "--data", orders.toString(), "--model-out", dir.resolve("a").toString(),
                "--model-version", "feedbee").exitCode()).isZero();
        assertThat(CliRun.of("train", "demand", "--data", demand.toString(), "--model-out", dir.resolve("d").toString(),
                "--model-version", "feedbee").exitCode()).isZero();
        assertThat(CliRun.of("publish", "--model-dir", dir.resolve("a").toString(), "--registry", registry, "--promote", "production").exitCode()).isZero();
        assertThat(CliRun.of("publish", "--model-dir", dir.resolve("d").toString(), "--registry", registry, "--promote", "production").exitCode()).isZero();
        anomalyUri = registry + "/order-anomaly@production";
        demandUri = registry + "/demand-forecast@production";
    }

    @AfterAll
    static void tearDown() throws SQLException {
        db.close();
    }

    private static CliRun infer(String uri, Path data, String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("infer", "--model-uri", uri, "--data", data.toString(),
                "--jdbc-url", db.url(), "--user", "postgres", "--run-id", runId, "--chunk-size", "1000"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String runStatus(String runId) throws SQLException {
        try (Connection c = db.connect()) {
            return RunHistory.find(c, runId).orElseThrow().status();
        }
    }

    @Test
    void writesTheModelsOwnPredictionsStampedWithModelAndRunAndReRunsDoNotDuplicate() throws Exception {
        CliRun run = infer(anomalyUri, orders, "nightly-1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("run nightly-1 SUCCEEDED: 2500 rows read, 2500 written, 0 skipped");
        assertThat(count("SELECT count(*) FROM order_anomalies WHERE run_id = 'nightly-1'")).isEqualTo(2500);
        assertThat(count("SELECT count(*) FROM order_anomalies WHERE model_name = 'order-anomaly' AND model_version = 'feedbee'")).isEqualTo(2500);

        AnomalyDetector model = (AnomalyDetector) ModelLoader.load(anomalyUri);
        List<OrderRow> rows = Datasets.orders(orders).rows();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT order_id, is_anomaly, anomaly_score, approx_probability FROM order_anomalies "
                     + "WHERE run_id = 'nightly-1' ORDER BY order_id LIMIT 300")) {
            int i = 0;
            while (rs.next()) {
                OrderRow r = rows.get(i++);
                assertThat(rs.getString(1)).isEqualTo(r.orderId());
                AnomalyResult expected = model.score(OrderMetrics.of(r));
                assertThat(rs.getBoolean(2)).isEqualTo(expected.anomalous());
                assertThat(rs.getDouble(3)).isCloseTo(expected.score(), within(1e-12));
                assertThat(rs.getDouble(4)).isCloseTo(expected.approxProbability(), within(1e-12));
            }
            assertThat(i).isEqualTo(300);
        }
        long anomalies = rows.stream().filter(r -> model.score(OrderMetrics.of(r)).anomalous()).count();
        assertThat(count("SELECT count(*) FROM order_anomalies WHERE run_id = 'nightly-1' AND is_anomaly")).isEqualTo(anomalies);

        CliRun again = infer(anomalyUri, orders, "nightly-1");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(count("SELECT count(*) FROM order_anomalies WHERE run_id = 'nightly-1'")).isEqualTo(2500);
        assertThat(runStatus("nightly-1")).isEqualTo("SUCCEEDED");
    }

    @Test
    void aFailingRowLeavesWholeChunksAndTheReRunResumesAfterTheFix() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(orders));
        String good = lines.get(1502);
        lines.set(1502, good.replaceFirst(",[0-9.]+,", ",oops,")); // line 1503 of the file
        Path broken = dir.resolve("broken.csv");
        Files.write(broken, lines);

        CliRun failed = infer(anomalyUri, broken, "resume-1");
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.err()).contains("broken.csv:1503", "column 'avg_processing_ms'", "'oops' is not a number");
        assertThat(runStatus("resume-1")).isEqualTo("FAILED");
        // rows 1..1000 were one committed chunk; the chunk holding line 1503 was rolled back whole
        assertThat(count("SELECT count(*) FROM order_anomalies WHERE run_id = 'resume-1'")).isEqualTo(1000);
        try (Connection c = db.connect()) {
            RunHistory.Run run = RunHistory.find(c, "resume-1").orElseThrow();
            assertThat(run.lastLine()).isEqualTo(1001);
            assertThat(run.error()).contains("broken.csv:1503");
        }

        lines.set(1502, good);
        Files.write(broken, lines);
        CliRun resumed = infer(anomalyUri, broken, "resume-1");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming run resume-1 after line 1001").contains("2500 rows read, 2500 written");
        assertThat(count("SELECT count(*) FROM order_anomalies WHERE run_id = 'resume-1'")).isEqualTo(2500);
        assertThat(runStatus("resume-1")).isEqualTo("SUCCEEDED");
    }

    /**
     * New keys take the plain-insert fast path; a chunk that repeats a key (of an earlier chunk, or within itself)
     * must fall back to the upsert, so the last row of a key wins exactly as before, and a redo changes nothing.
     */
    @Test
    void repeatedOrderIdsKeepTheLastRowAcrossAndWithinChunks() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(orders));
        String early = lines.get(11).split(",", 2)[0];   // line 12: chunk 1 (lines 2-1001)
        String late = lines.get(2201).split(",", 2)[0];  // line 2202: chunk 3 (lines 2002-2501)
        lines.set(1801, early + "," + lines.get(1801).split(",", 2)[1]); // line 1802, chunk 2, repeats chunk 1's key
        lines.set(2301, late + "," + lines.get(2301).split(",", 2)[1]);  // line 2302, chunk 3, repeats its own key
        Path dup = dir.resolve("dup.csv");
        Files.write(dup, lines);
        double earlyWins = Double.parseDouble(lines.get(1801).split(",")[1]);
        double lateWins = Double.parseDouble(lines.get(2301).split(",")[1]);

        for (int attempt = 0; attempt < 2; attempt++) { // the second run is a redo of a succeeded run
            CliRun run = infer(anomalyUri, dup, "dup-1");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("2500 rows read, 2500 written");
            assertThat(count("SELECT count(*) FROM order_anomalies WHERE run_id = 'dup-1'")).isEqualTo(2498);
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT order_id, avg_processing_ms FROM order_anomalies WHERE run_id = 'dup-1' "
                         + "AND order_id IN ('" + early + "', '" + late + "') ORDER BY order_id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(2)).isEqualTo(rs.getString(1).equals(early) ? earlyWins : lateWins);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(2)).isEqualTo(rs.getString(1).equals(early) ? earlyWins : lateWins);
            }
        }
    }

    @Test
    void badRowsAreSkippedAndReportedWithLineNumbersWhenAsked() throws Exception {
        Path f = dir.resolve("some-bad.csv");
        Files.writeString(f, "order_id,avg_processing_ms,item_count,payment_score\n"
                + "A,1500,3,0.9\nB,NaN,3,0.9\nC,1600,2,0.8\nD,1700\nE,1800,4,0.7\n");
        CliRun run = infer(anomalyUri, f, "skip-1", "--on-bad-row", "skip");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("5 rows read, 3 written, 2 skipped");
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT line, reason FROM inference_rejects WHERE run_id = 'skip-1' ORDER BY line")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(3);
            assertThat(rs.getString(2)).contains("some-bad.csv:3", "avg_processing_ms", "NaN");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(5);
            assertThat(rs.getString(2)).contains("some-bad.csv:5", "value is missing");
            assertThat(rs.next()).isFalse();
        }
        assertThat(count("SELECT rows_skipped FROM inference_runs WHERE run_id = 'skip-1'")).isEqualTo(2);
        CliRun fail = infer(anomalyUri, f, "fail-1");
        assertThat(fail.exitCode()).isEqualTo(2);
        assertThat(fail.err()).contains("some-bad.csv:3");
    }

    @Test
    void demandForecastsFromATableAreWrittenToOrderForecasts() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE forecast_requests (date date, product_id text, avg_basket_value float8, promo_flag int)");
            st.execute("INSERT INTO forecast_requests SELECT DATE '2024-08-01' + g, 'SKU-00' || (1 + g % 3), 80 + g % 10, g % 2 "
                    + "FROM generate_series(0, 29) g");
        }
        CliRun run = CliRun.of("infer", "--model-uri", demandUri, "--input-table", "forecast_requests", "--jdbc-url", db.url(),
                "--user", "postgres", "--run-id", "table-1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(count("SELECT count(*) FROM order_forecasts WHERE run_id = 'table-1'")).isEqualTo(30);
        DemandForecaster model = (DemandForecaster) ModelLoader.load(demandUri);
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT predicted_demand FROM order_forecasts WHERE run_id = 'table-1' "
                     + "AND product_id = 'SKU-002' AND forecast_date = DATE '2024-08-02'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(1)).isCloseTo(model.predict(new DemandQuery(LocalDate.of(2024, 8, 2), "SKU-002", 81, 1)), within(1e-9));
        }
        CliRun badTable = CliRun.of("infer", "--model-uri", demandUri, "--input-table", "x; DROP TABLE y", "--jdbc-url", db.url());
        assertThat(badTable.exitCode()).isEqualTo(2);
        assertThat(badTable.err()).contains("is not a plain [schema.]table name");
    }
}
