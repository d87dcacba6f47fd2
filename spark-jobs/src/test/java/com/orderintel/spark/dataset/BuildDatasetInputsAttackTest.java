package com.orderintel.spark.dataset;

import com.orderintel.spark.LocalSpark;
import com.orderintel.spark.SparkJobs;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile options and a hostile Parquet copy: one clear line, exit 1 or 2, no snapshot written. */
@Tag("attack")
class BuildDatasetInputsAttackTest {

    @TempDir
    static Path work;

    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        LocalSpark.session(); // the CLI uses the shared session and leaves it running
        List<String> all = new ArrayList<>(List.of("build-dataset", "--since", "2023-01-01", "--until", "2024-01-01",
                "--out", work.resolve("out").toUri().toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkJobs.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aParquetCopyLackingAColumnIsRefusedByNameAndNothingIsWritten() {
        Path copy = work.resolve("copy");
        // scored_orders without `trusted`: the trust rule could not be applied
        LocalSpark.session().createDataset(List.of("p1"), Encoders.STRING()).toDF("prediction_id")
                .write().mode(SaveMode.Overwrite).parquet(copy.resolve(CaptureTables.SCORED_ORDERS).toString());
        Run r = run("--parquet", copy.toString(), "--parts", "orders");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("scored_orders lacks column(s) [order_id", "trusted]")
                .doesNotContain("\tat ").hasLineCount(1);
        assertThat(Files.exists(work.resolve("out/datasets"))).isFalse();
    }

    @Test
    void aDatabaseThatIsNotTheCaptureStoreAndAbsurdPartitionsAreRefusedBeforeAnyRead() {
        Run other = run("--jdbc-url", "jdbc:mysql://127.0.0.1/x");
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).isEqualTo("error: --jdbc-url must be a jdbc:postgresql: URL (the capture store)\n");
        Run partitions = run("--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test", "--partitions", "0");
        assertThat(partitions.code()).isEqualTo(1);
        assertThat(partitions.err()).isEqualTo("error: --partitions must be between 1 and 10000, got 0\n");
        Run both = run("--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test", "--parquet", work.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
    }
}
