package com.orderintel.advisor.batch;

import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.batch.BatchInference;
import com.orderintel.registry.ModelLoader;
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
 * A CSV with a NUL byte in one order_id, an order_id of two million characters and a control character: with
 * --on-bad-row skip those are rejected rows (reasons recorded) and the run succeeds; without skip the run fails
 * naming the line and column. Against the real PostgreSQL, in a database made for this class.
 */
class HostileCsvBatchTest {

    private static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_hostile_csv");
    private static final TrainedModels MODELS = TrainedModels.create();

    @AfterAll
    static void drop() {
        DB.close();
    }

    @Test
    void hostileRowsAreRejectedNotAFailedRun() throws Exception {
        Path csv = Files.createTempFile("hostile", ".csv");
        try {
            Files.writeString(csv, "order_id,avg_processing_ms,item_count,payment_score\n"
                    + "O-1,1200,3,0.5\n"
                    + "O-\u00002,1200,3,0.5\n"                           // line 3: NUL
                    + "O-3,1200,3,0.5\n"
                    + "O-" + "9".repeat(2_000_000) + ",1200,3,0.5\n"      // line 5: two million characters
                    + "O-\u001b[31m6,1200,3,0.5\n"                        // line 6: an escape sequence
                    + "O-7,1200,3,0.5\n");
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(DB.url());
            ds.setUser("postgres");
            BatchInference batch = new BatchInference(ds, new PrintWriter(new StringWriter()));
            var model = ModelLoader.load(MODELS.anomalyUri);

            BatchInference.Summary s = batch.run(new BatchInference.Job(model, csv, null, "hostile-skip", 2, BatchInference.OnBadRow.SKIP));
            assertThat(s.status()).isEqualTo("SUCCEEDED");
            assertThat(s.rowsWritten()).isEqualTo(3);
            assertThat(s.rowsSkipped()).isEqualTo(3);
            List<String> reasons = new ArrayList<>();
            try (Connection c = DB.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT line, reason FROM inference_rejects WHERE run_id = 'hostile-skip' ORDER BY line")) {
                while (rs.next()) {
                    reasons.add(rs.getLong(1) + " " + rs.getString(2));
                }
            }
            assertThat(reasons).hasSize(3);
            assertThat(reasons.get(0)).startsWith("3 ").contains("order_id", "control character U+0000");
            assertThat(reasons.get(1)).startsWith("5 ").contains("2000002 characters, over the limit of 1024");
            assertThat(reasons.get(2)).startsWith("6 ").contains("U+001B");
            assertThat(String.join("", reasons).length()).as("reasons do not carry the huge value").isLessThan(1000);

            assertThatThrownBy(() -> batch.run(new BatchInference.Job(model, csv, null, "hostile-fail", 2, BatchInference.OnBadRow.FAIL)))
                    .hasMessageContaining(":3: column 'order_id'").hasMessageContaining("U+0000");
        } finally {
            Files.deleteIfExists(csv);
        }
    }
}
