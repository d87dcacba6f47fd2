package com.orderintel.spark.dataset;

import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.snapshot.DatasetSource;
import com.orderintel.snapshot.NoteRow;
import com.orderintel.snapshot.QualityChecks;
import com.orderintel.snapshot.SnapshotExport;
import com.orderintel.snapshot.SnapshotManifest;
import com.orderintel.snapshot.SnapshotManifests;
import com.orderintel.spark.LocalSpark;
import com.orderintel.spark.SparkJobs;
import com.orderintel.store.Schema;
import com.orderintel.testkit.ThrowawayDatabase;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot built by Spark equals {@code dataset export}'s for the same captured data: the same rows in the same
 * order (so the same CSV and Parquet bytes), the same label counts, exclusions, conflicts and checks. The capture
 * store is a throwaway PostgreSQL database migrated by capture-store's Flyway scripts and seeded the way the service
 * writes it, with anonymous re-scorings, trusted recaptures, imputed rows, captures before the window and stale
 * forecasts. The only manifest field that differs is each part's {@code query}: the runner records its SQL, Spark the
 * rule and the source it read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildDatasetParityTest {

    private static final Instant SINCE = Instant.parse("2023-01-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2024-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC);

    private Path dir;
    private ThrowawayDatabase db;
    private PGSimpleDataSource ds;
    private SparkSession spark;

    @BeforeAll
    void seed() throws Exception {
        dir = Files.createTempDirectory("build-dataset-");
        db = new ThrowawayDatabase("spark_dataset");
        ds = new PGSimpleDataSource();
        ds.setURL(db.url());
        ds.setUser(ThrowawayDatabase.USER);
        Schema.migrate(ds);
        spark = LocalSpark.session();
        Path ordersCsv = dir.resolve("orders.csv");
        DataGenerator.orders(ordersCsv, 240, 0.05, 7);
        List<OrderRow> orders = Datasets.orders(ordersCsv).rows();
        Path demandCsv = dir.resolve("demand.csv");
        DataGenerator.demand(demandCsv, 90, 3, 7);
        List<DemandRow> demand = Datasets.demand(demandCsv).rows();
        try (Connection c = db.connect()) {
            seedOrders(c, orders);
            seedDemand(c, demand);
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        db.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * Orders a minute apart, labelled by order id (the last 20 by prediction id, without an order id); then captures
     * the rules must see through: anonymous re-scorings with crafted features, trusted recaptures with other features,
     * imputed rows, an order first captured before the window, an order only ever scored anonymously, and notes.
     */
    private static void seedOrders(Connection c, List<OrderRow> orders) throws SQLException {
        Instant start = SINCE.plus(Duration.ofHours(1));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO scored_orders (prediction_id, order_id, source, model_name,"
                + " model_version, avg_processing_ms, item_count, payment_score, imputed, is_anomaly, anomaly_score, instance,"
                + " scored_at, trusted) VALUES (?, ?, ?, 'order-anomaly', 'v1', ?, ?, ?, ?::text[], false, 0.1, 'a', ?, ?)");
             PreparedStatement l = c.prepareStatement("INSERT INTO order_labels (label_key, order_id, prediction_id, is_anomaly)"
                     + " VALUES (?, ?, ?, ?)");
             PreparedStatement n = c.prepareStatement("INSERT INTO order_note_enrichments (prediction_id, order_id, source,"
                     + " note_sha256, note_chars, sentiment, category, feature_source, model, prompt_name, prompt_version,"
                     + " prompt_sha256, instance, enriched_at) VALUES (?, ?, 'event', 'x', 10, ?, ?, ?, 'm', ?, ?, ?, 'a', ?)")) {
            for (int i = 0; i < orders.size(); i++) {
                OrderRow r = orders.get(i);
                boolean byPrediction = i >= orders.size() - 20;
                String pid = "p" + i;
                String oid = byPrediction ? null : "o-" + r.orderId();
                Instant at = start.plus(Duration.ofMinutes(i));
                scoring(s, pid, oid, "event", r.avgProcessingMs(), r.itemCount(), r.paymentScore(), i % 37 == 5 ? "{item_count}" : "{}",
                        at, true);
                label(l, byPrediction ? pid : oid, oid, byPrediction ? pid : null, r.label() == 1);
                if (i % 4 == 0) {
                    note(n, pid, oid, i % 3 == 0 ? "negative" : i % 3 == 1 ? "positive" : "neutral",
                            i % 8 == 0 ? "provider" : "fallback", i % 8 == 0 ? "notes" : null, at);
                }
                if (i < 30) { // an anonymous caller re-scores a real order with crafted features
                    scoring(s, "anon" + i, oid == null ? "o-x" + i : oid, "rest", 7000, 40, 0.05, "{}", at.plus(Duration.ofDays(3)), false);
                }
                if (i >= 30 && i < 36) { // a trusted recapture with other features: the first capture stays the training row
                    scoring(s, "again" + i, oid, "batch", r.avgProcessingMs() + 1, r.itemCount(), r.paymentScore(), "{}",
                            at.plus(Duration.ofDays(1)), true);
                    if (i == 30) { // the recapture carries a note too: the order's first note-carrying scoring wins
                        note(n, "again" + i, oid, "negative", "provider", "notes", at.plus(Duration.ofDays(1)));
                    }
                }
                if (i >= 36 && i < 40) { // an exact redelivery of the same event
                    scoring(s, "redelivered" + i, oid, "event", r.avgProcessingMs(), r.itemCount(), r.paymentScore(), "{}",
                            at.plus(Duration.ofMinutes(30)), true);
                }
            }
            // first captured before the window, recaptured inside it: not this window's training row
            scoring(s, "early", "o-early", "event", 10, 2, 0.5, "{}", SINCE.minus(Duration.ofDays(2)), true);
            scoring(s, "early-again", "o-early", "event", 10, 2, 0.5, "{}", SINCE.plus(Duration.ofDays(2)), true);
            label(l, "o-early", "o-early", null, false);
            // only ever scored anonymously, and labelled: never a training row
            scoring(s, "anon-only", "o-anon", "rest", 1, 1, 0.9, "{}", SINCE.plus(Duration.ofDays(2)), false);
            label(l, "o-anon", "o-anon", null, true);
            // after the window
            scoring(s, "late", "o-late", "event", 10, 2, 0.5, "{}", UNTIL.plus(Duration.ofDays(1)), true);
            label(l, "o-late", "o-late", null, false);
            s.executeBatch();
            l.executeBatch();
            n.executeBatch();
        }
    }

    private static void scoring(PreparedStatement s, String pid, String oid, String source, double ms, double items,
                                double pay, String imputed, Instant at, boolean trusted) throws SQLException {
        s.setString(1, pid);
        s.setString(2, oid);
        s.setString(3, source);
        s.setDouble(4, ms);
        s.setDouble(5, items);
        s.setDouble(6, pay);
        s.setString(7, imputed);
        s.setTimestamp(8, Timestamp.from(at));
        s.setBoolean(9, trusted);
        s.addBatch();
    }

    private static void label(PreparedStatement l, String key, String oid, String pid, boolean anomalous) throws SQLException {
        l.setString(1, key);
        l.setString(2, oid);
        l.setString(3, pid);
        l.setBoolean(4, anomalous);
        l.addBatch();
    }

    private static void note(PreparedStatement n, String pid, String oid, String sentiment, String featureSource,
                             String prompt, Instant at) throws SQLException {
        n.setString(1, pid);
        n.setString(2, oid);
        n.setString(3, sentiment);
        n.setString(4, "delivery");
        n.setString(5, featureSource);
        n.setString(6, prompt);
        n.setString(7, prompt == null ? null : "3");
        n.setString(8, prompt == null ? null : "ab".repeat(32));
        n.setTimestamp(9, Timestamp.from(at));
        n.addBatch();
    }

    /** Two trusted forecasts per product-day (the later one counts), an anonymous one on some, a conflicting one on one. */
    private static void seedDemand(Connection c, List<DemandRow> demand) throws SQLException {
        try (PreparedStatement f = c.prepareStatement("INSERT INTO demand_forecasts (prediction_id, source, model_name,"
                + " model_version, product_id, forecast_date, avg_basket_value, promo_flag, predicted_demand, instance, scored_at,"
                + " trusted) VALUES (?, ?, 'demand-forecast', 'v1', ?, ?, ?, ?, 100, 'a', ?, ?)");
             PreparedStatement a = c.prepareStatement("INSERT INTO demand_actuals (product_id, forecast_date, actual_demand)"
                     + " VALUES (?, ?, ?)")) {
            for (int i = 0; i < demand.size(); i++) {
                DemandRow r = demand.get(i);
                Instant day = r.date().atStartOfDay(ZoneOffset.UTC).toInstant();
                for (int k = 0; k < 2; k++) {
                    forecast(f, "f" + i + "-" + k, "batch", r, k == 0 ? r.avgBasketValue() + 500 : r.avgBasketValue(),
                            day.minus(Duration.ofDays(7 - k)), true);
                }
                if (i % 10 == 0) { // an anonymous forecast made last, with crafted features: ignored
                    forecast(f, "fa" + i, "rest", r, 9999, day, false);
                }
                if (i % 4 != 3) { // a product-day without an actual is no training row
                    a.setString(1, r.productId());
                    a.setObject(2, r.date());
                    a.setDouble(3, r.demand());
                    a.addBatch();
                }
            }
            f.executeBatch();
            a.executeBatch();
        }
    }

    private static void forecast(PreparedStatement f, String pid, String source, DemandRow r, double basket, Instant at,
                                 boolean trusted) throws SQLException {
        f.setString(1, pid);
        f.setString(2, source);
        f.setString(3, r.productId());
        f.setObject(4, r.date());
        f.setDouble(5, basket);
        f.setInt(6, r.promoFlag());
        f.setTimestamp(7, Timestamp.from(at));
        f.setBoolean(8, trusted);
        f.addBatch();
    }

    private SnapshotExport.Options options(String root) {
        return new SnapshotExport.Options("shop", SINCE, UNTIL, dir.resolve(root).toUri(), "s1",
                Set.of(SnapshotManifest.ORDERS, SnapshotManifest.DEMAND, SnapshotManifest.NOTES), 2,
                new QualityChecks.Limits(0.5, 0.25, QualityChecks.Duplicates.FAIL));
    }

    private static SnapshotExport.Result export(SnapshotExport export, SnapshotExport.Options o) {
        return export.run(o);
    }

    @Test
    void sparkBuildsTheSnapshotTheRunnerExports() {
        StringWriter runnerLog = new StringWriter();
        StringWriter sparkLog = new StringWriter();
        SnapshotExport.Result runner = export(new SnapshotExport(ds, CLOCK, new PrintWriter(runnerLog, true)), options("runner"));
        CaptureTables jdbc = new CaptureTables.Jdbc(spark, db.url(), ThrowawayDatabase.USER, "", 3, SINCE, UNTIL);
        SnapshotExport.Result built = export(new SnapshotExport(new SparkCapturedRows(jdbc, "test JDBC"), CLOCK,
                new PrintWriter(sparkLog, true)), options("spark"));

        assertSameSnapshot(runner, built);
        assertThat(written(built).createdAt()).isEqualTo(written(runner).createdAt()); // one fixed clock
        // the rules had something to do: these are the seeded traps, as the runner counted them
        SnapshotManifest.Part orders = runner.manifest().part(SnapshotManifest.ORDERS);
        assertThat(orders.excluded()).containsEntry("untrusted", 31L).containsEntry("imputed", 7L);
        assertThat(orders.conflicts()).containsEntry("trustedRecaptures", 6L).containsEntry("alsoScoredAnonymously", 30L);
        assertThat(runner.manifest().part(SnapshotManifest.DEMAND).conflicts()).containsEntry("trustedRecaptures", 68L);
        assertThat(sparkLog.toString()).isEqualTo(runnerLog.toString());

        // train --data reads both, row for row
        assertThat(DatasetSource.orders(built.snapshot().toString()).rows())
                .containsExactlyElementsOf(DatasetSource.orders(runner.snapshot().toString()).rows()).hasSize((int) orders.rows());
        assertThat(DatasetSource.demand(built.snapshot().toString()).rows())
                .containsExactlyElementsOf(DatasetSource.demand(runner.snapshot().toString()).rows());
        List<NoteRow> notes = DatasetSource.notes(built.snapshot().toString()).rows();
        assertThat(notes).containsExactlyElementsOf(DatasetSource.notes(runner.snapshot().toString()).rows()).isNotEmpty();
    }

    @Test
    void aParquetCopyOfTheTablesBuildsTheSameSnapshot() {
        CaptureTables jdbc = new CaptureTables.Jdbc(spark, db.url(), ThrowawayDatabase.USER, "", 2, SINCE, UNTIL);
        Path copy = dir.resolve("copy");
        for (String t : List.of(CaptureTables.SCORED_ORDERS, CaptureTables.ORDER_LABELS, CaptureTables.DEMAND_FORECASTS,
                CaptureTables.DEMAND_ACTUALS, CaptureTables.NOTE_ENRICHMENTS)) {
            jdbc.table(t).write().mode(SaveMode.Overwrite).parquet(copy.resolve(t).toString());
        }
        SnapshotExport.Result runner = export(new SnapshotExport(ds, CLOCK, new PrintWriter(new StringWriter())), options("runner-p"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkJobs.execute(new String[] {"build-dataset", "--parquet", copy.toString(), "--since", "2023-01-01",
                "--until", "2024-01-01", "--out", dir.resolve("spark-p").toUri().toString(), "--snapshot-id", "s1",
                "--parts", "orders,demand,notes"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("snapshot " + dir.resolve("spark-p").toUri() + "datasets/shop/s1/");
        SnapshotExport.Result built = new SnapshotExport.Result(URI.create(dir.resolve("spark-p").toUri() + "datasets/shop/s1/"),
                null);
        // the CLI stamps the build time: the only other field that differs
        assertThat(written(built).createdAt()).isNotEqualTo(written(runner).createdAt());
        assertSameSnapshot(runner, built);
    }

    private static SnapshotManifest written(SnapshotExport.Result r) {
        return SnapshotManifests.read(Path.of(r.snapshot()).resolve(SnapshotManifest.FILE_NAME), r.snapshot().toString());
    }

    /** Equal manifests but for each part's query and the creation time; equal files (bytes, by sha256). */
    private static void assertSameSnapshot(SnapshotExport.Result runner, SnapshotExport.Result built) {
        SnapshotManifest a = written(runner);
        SnapshotManifest b = written(built);
        assertThat(b.parts().keySet()).containsExactlyElementsOf(a.parts().keySet());
        for (Map.Entry<String, SnapshotManifest.Part> e : a.parts().entrySet()) {
            SnapshotManifest.Part pa = e.getValue();
            SnapshotManifest.Part pb = b.parts().get(e.getKey());
            assertThat(pa.skipped()).as(e.getKey()).isNull();
            assertThat(pb.query()).startsWith("spark-jobs build-dataset from ").isNotEqualTo(pa.query());
            assertThat(new SnapshotManifest.Part(pb.rows(), pb.files(), pa.query(), pb.labels(), pb.excluded(), pb.drift(),
                    pb.skipped(), pb.conflicts())).as(e.getKey()).isEqualTo(pa);
            assertThat(pb.files()).as(e.getKey()).isNotEmpty();
        }
        assertThat(new SnapshotManifest(b.schemaVersion(), b.name(), b.snapshotId(), a.createdAt(), b.since(), b.until(),
                b.previousSnapshot(), a.parts())).isEqualTo(a);
    }
}
