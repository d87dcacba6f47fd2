package com.orderintel.advisor.batch;

import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.batch.BatchInference;
import com.orderintel.registry.ModelLoader;
import com.orderintel.store.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A CSV with a NUL byte in one order_id, an order_id of five thousand characters and a control character: with
 * --on-bad-row skip those are rejected rows (reasons recorded) and the run succeeds; without skip the run fails
 * naming the line and column. A field past DATASET_CSV_MAX_FIELD_CHARS (two million characters) is not a row to
 * skip but a file the reader will not buffer: the run fails naming the file and the setting. Against the real
 * PostgreSQL, in a database made for this class.
 */
class HostileCsvBatchTest {

    private static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_hostile_csv");
    private static final TrainedModels MODELS = TrainedModels.create();

    @AfterAll
    static void drop() {
        DB.close();
    }

    /** A batch writer on the throwaway database, migrated first as the service does at start-up. */
    private static BatchInference batchOnMigratedDatabase() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(DB.url());
        ds.setUser(ThrowawayDatabase.USER);
        Schema.migrate(ds);
        return new BatchInference(ds, new PrintWriter(new StringWriter()));
    }

    @Test
    void hostileRowsAreRejectedNotAFailedRun() throws Exception {
        Path csv = Files.createTempFile("hostile", ".csv");
        try {
            Files.writeString(csv, "order_id,avg_processing_ms,item_count,payment_score\n"
                    + "O-1,1200,3,0.5\n"
                    + "O-\u00002,1200,3,0.5\n"                           // line 3: NUL
                    + "O-3,1200,3,0.5\n"
                    + "O-" + "9".repeat(5_000) + ",1200,3,0.5\n"          // line 5: five thousand characters
                    + "O-\u001b[31m6,1200,3,0.5\n"                        // line 6: an escape sequence
                    + "O-7,1200,3,0.5\n");
            BatchInference batch = batchOnMigratedDatabase();
            var model = ModelLoader.load(MODELS.anomalyUri);

            Skipped skipped = skipping(batch, MODELS.anomalyUri, csv, "hostile-skip", 2, 3);
            assertThat(skipped.summary().rowsSkipped()).isEqualTo(3);
            List<String> reasons = skipped.reasons();
            assertThat(reasons).hasSize(3);
            assertThat(reasons.get(0)).startsWith("3 ").contains("order_id", "control character U+0000");
            assertThat(reasons.get(1)).startsWith("5 ").contains("5002 characters, over the limit of 1024");
            assertThat(reasons.get(2)).startsWith("6 ").contains("U+001B");
            assertThat(String.join("", reasons).length()).as("reasons do not carry the huge value").isLessThan(1000);

            assertThatThrownBy(() -> batch.run(new BatchInference.Job(model, csv, null, "hostile-fail", 2, BatchInference.OnBadRow.FAIL)))
                    .hasMessageContaining(":3: column 'order_id'").hasMessageContaining("U+0000");

            Files.writeString(csv, "order_id,avg_processing_ms,item_count,payment_score\n"
                    + "O-1,1200,3,0.5\n"
                    + "O-" + "9".repeat(2_000_000) + ",1200,3,0.5\n");   // line 3: two million characters
            assertThatThrownBy(() -> batch.run(new BatchInference.Job(model, csv, null, "hostile-huge", 2, BatchInference.OnBadRow.SKIP)))
                    .hasMessageContaining(csv.getFileName().toString())
                    .hasMessageContaining("DATASET_CSV_MAX_FIELD_CHARS")
                    .message().hasSizeLessThan(1000);
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /**
     * Keys outside the identifier rule (a space, 129 characters, COPY's end marker, a backslash), a NUL in a number
     * and a day PostgreSQL cannot store: each is a rejected row with a storable reason, the rest land. Before, the NUL
     * quoted in the reject reason and the +10000 day failed the whole chunk's write, so the run failed.
     */
    @org.junit.jupiter.api.Tag("attack")
    @Test
    void keysOutsideTheIdentifierRuleAndUnstorableValuesAreRejectedRows() throws Exception {
        Path orders = Files.createTempFile("hostile-ids", ".csv");
        Path demand = Files.createTempFile("hostile-days", ".csv");
        try {
            Files.writeString(orders, "order_id,avg_processing_ms,item_count,payment_score\n"
                    + "O-1,1200,3,0.5\n"
                    + "\"O 2\",1200,3,0.5\n"                           // line 3: a space
                    + "O-" + "x".repeat(127) + ",1200,3,0.5\n"            // line 4: 129 characters
                    + "\\.,1200,3,0.5\n"                                 // line 5: COPY's end-of-data marker
                    + "O-6,1\u00002,3,0.5\n"                               // line 6: a NUL in a number
                    + "O-7,1200,3,0.5\n");
            Files.writeString(demand, "date,product_id,avg_basket_value,promo_flag\n"
                    + "2024-08-15,SKU-001,40,0\n"
                    + "+10000-01-01,SKU-001,40,0\n"                          // line 3: a day PostgreSQL cannot store
                    + "2024-08-16,SKU\\001,40,0\n"                          // line 4: a backslash
                    + "2024-08-17,SKU-001,40,1\n");
            BatchInference batch = batchOnMigratedDatabase();

            assertThat(skipping(batch, MODELS.anomalyUri, orders, "hostile-ids", 100, 2).reasons()).satisfiesExactly(
                    r -> assertThat(r).startsWith("3 ").contains("column 'order_id': contains the character U+0020 at position 2"),
                    r -> assertThat(r).startsWith("4 ").contains("column 'order_id': is 129 characters, over the limit of 128"),
                    r -> assertThat(r).startsWith("5 ").contains("column 'order_id': contains the character U+005C at position 1"),
                    r -> assertThat(r).startsWith("6 ").contains("column 'avg_processing_ms': '1\\u00002' is not a number"));

            assertThat(skipping(batch, MODELS.demandUri, demand, "hostile-days", 100, 2).reasons()).satisfiesExactly(
                    r -> assertThat(r).startsWith("3 ").contains("column 'date': '+10000-01-01' is outside the years 0001-9999"),
                    r -> assertThat(r).startsWith("4 ").contains("column 'product_id': contains the character U+005C at position 4"));
        } finally {
            Files.deleteIfExists(orders);
            Files.deleteIfExists(demand);
        }
    }

    /** A run's summary and its reject reasons ("line reason"), in line order. */
    private record Skipped(BatchInference.Summary summary, List<String> reasons) {
    }

    /** Runs {@code csv} with bad rows skipped, in chunks of {@code chunk}: the run succeeds with {@code written} rows. */
    private static Skipped skipping(BatchInference batch, String modelUri, Path csv, String runId, int chunk, int written)
            throws Exception {
        BatchInference.Summary s = batch.run(new BatchInference.Job(ModelLoader.load(modelUri), csv, null, runId, chunk,
                BatchInference.OnBadRow.SKIP));
        assertThat(s.status()).isEqualTo("SUCCEEDED");
        assertThat(s.rowsWritten()).isEqualTo(written);
        return new Skipped(s, reasons(runId));
    }

    private static List<String> reasons(String runId) throws Exception {
        List<String> reasons = new ArrayList<>();
        try (Connection c = DB.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT line, reason FROM inference_rejects WHERE run_id = '" + runId + "' ORDER BY line")) {
            while (rs.next()) {
                reasons.add(rs.getLong(1) + " " + rs.getString(2));
            }
        }
        return reasons;
    }
}
