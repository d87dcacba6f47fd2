package com.orderintel.spark.scoring;

import com.orderintel.dataset.DataException;
import com.orderintel.registry.RegistryException;
import com.orderintel.spark.LocalSpark;
import com.orderintel.spark.SparkJobs;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile input rows and a tampered model: a row is rejected with its reason, the job and the other rows go on. */
@Tag("attack")
class HostileRowsTest {

    static SparkSession spark;
    @TempDir
    static Path work;
    static String anomalyUri;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.session();
        anomalyUri = LocalSpark.publish(work.resolve("registry"), "anomaly-v1");
    }

    @Test
    void hostileRowsGoToTheRejectsWithTheirReasonAndTheGoodRowsAreScored() throws Exception {
        Path csv = work.resolve("hostile.csv");
        String longId = "X".repeat(200_000);
        Files.writeString(csv, String.join("\n",
                "order_id,avg_processing_ms,item_count,payment_score",
                "good-1,1500,3,0.9",
                "bad-number,fast,3,0.9",
                "nan,NaN,3,0.9",
                "infinite,1500,Infinity,0.9",
                "negative,-5,3,0.9",
                longId + ",1500,3,0.9",
                "bad id with spaces,1500,3,0.9",
                "missing,1500,,0.9",
                "short-row,1500",
                "good-2,1600,2,0.8") + "\n");
        Path out = work.resolve("hostile-out");
        ScoreJob.Summary s = new ScoreJob(spark).run(new ScoreJob.Options(anomalyUri, csv.toString(), null, out.toString(),
                ScoreJob.Format.PARQUET, "hostile", 3));

        assertThat(s.scored()).isEqualTo(2);
        assertThat(s.rejected()).isEqualTo(8);
        List<Row> scored = spark.read().parquet(out.toString()).filter(col(PredictionSchema.OUTCOME).equalTo(PredictionSchema.SCORED))
                .select("order_id").collectAsList();
        assertThat(scored.stream().map(r -> r.getString(0))).containsExactlyInAnyOrder("good-1", "good-2");
        String reasons = spark.read().parquet(out.toString()).filter(col(PredictionSchema.OUTCOME).equalTo(PredictionSchema.REJECTED))
                .select(PredictionSchema.REJECT_REASON).collectAsList().stream().map(r -> r.getString(0))
                .collect(Collectors.joining("\n"));
        assertThat(reasons).contains("column 'avg_processing_ms': 'fast' is not a number")
                .contains("'NaN' is not a finite number").contains("'Infinity' is not a finite number")
                .contains("must not be negative").contains("over the limit of 1024")
                .contains("column 'order_id': contains the character U+0020");
        // the empty field and the short row: the first column without a value is named
        assertThat(reasons.lines().filter(l -> l.endsWith("column 'item_count': value is missing"))).hasSize(2);
        assertThat(reasons.length()).as("reasons quote short excerpts, never the 200k-character id").isLessThan(4_000);
    }

    @Test
    void aTamperedArtifactIsRefusedBeforeAnyRowIsRead() throws Exception {
        Path registry = work.resolve("tampered");
        String uri = LocalSpark.publish(registry, "anomaly-v1");
        try (var files = Files.walk(registry)) {
            Path artifact = files.filter(p -> p.toString().endsWith(".iforest")).findFirst().orElseThrow();
            byte[] bytes = Files.readAllBytes(artifact);
            bytes[bytes.length / 2] ^= 1;
            Files.write(artifact, bytes);
        }
        assertThatThrownBy(() -> new ScoreJob(spark).run(new ScoreJob.Options(uri, "unused.csv", null,
                work.resolve("never").toString(), ScoreJob.Format.CSV, null, 100)))
                .isInstanceOf(RegistryException.class).hasMessageContaining("sha256");
        assertThat(work.resolve("never")).doesNotExist();
    }

    @Test
    void aBroadcastWhoseBytesDoNotMatchTheManifestIsNotDecoded() throws Exception {
        Path pkg = Path.of("..", "ai-advisor-service", "src", "test", "resources", "models", "anomaly-v1");
        byte[] manifest = Files.readAllBytes(pkg.resolve("manifest.yaml"));
        byte[] artifact = Files.readAllBytes(pkg.resolve("model.iforest"));
        artifact[10] ^= 1;
        assertThatThrownBy(() -> new ShippedModel(manifest, artifact, 64L << 20).model())
                .isInstanceOf(RegistryException.class).hasMessageContaining("does not match the manifest");
    }

    @Test
    void theCliNamesAMissingColumnInOneLine() throws Exception {
        Path csv = work.resolve("wrong-columns.csv");
        Files.writeString(csv, "id,amount\n1,2\n");
        StringWriter err = new StringWriter();
        int code = SparkJobs.execute(new String[] {"score", "--model-uri", anomalyUri, "--data", csv.toString(), "--out",
                work.resolve("wrong-out").toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("error: ").contains("has no column(s) [order_id, avg_processing_ms")
                .doesNotContain("\tat ");
        assertThat(spark.sparkContext().isStopped()).as("the CLI leaves a session it did not start running").isFalse();
    }
}
