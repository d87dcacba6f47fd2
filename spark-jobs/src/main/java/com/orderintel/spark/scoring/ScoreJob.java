package com.orderintel.spark.scoring;

import com.orderintel.batch.BatchScorer;
import com.orderintel.batch.ChunkScorer;
import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Identifiers;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelLoader;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ServingBudget;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/**
 * {@code spark-jobs score}: the driver fetches and verifies the model through the registry (as the service does),
 * broadcasts its serving artifact, and the executors score partition by partition ({@link PartitionScorer}); the
 * predictions and the rejects are written in one pass under {@code out/outcome=scored} and {@code out/outcome=rejected}
 * (Parquet also by date), stamped with model name, version, commit and run id.
 */
public final class ScoreJob {

    public enum Format { PARQUET, CSV }

    /** {@code runId} null: model name, version and a hash of the input location (same job, same id). */
    public record Options(String modelUri, String data, Format inputFormat, String out, Format format, String runId,
                          int chunkSize) {
        public Options {
            if (chunkSize < 1 || chunkSize > 1_000_000) {
                throw new DataException("--chunk-size must be between 1 and 1000000, got " + chunkSize);
            }
            if (runId != null && !Identifiers.isValid(runId)) {
                throw new DataException("--run-id: " + Identifiers.problem(runId));
            }
        }
    }

    public record Summary(String runId, String model, long scored, long rejected, Duration took) { }

    private final SparkSession spark;

    public ScoreJob(SparkSession spark) {
        this.spark = spark;
    }

    public Summary run(Options o) {
        long start = System.nanoTime();
        ServingBudget budget = ServingBudget.fromEnvironment();
        ModelStore.LoadedArtifact loaded = ModelLoader.fetch(o.modelUri(), budget);
        ShippedModel shipped = ShippedModel.of(loaded.manifest(), loaded.artifact(), budget);
        BatchScorer probe;
        try {
            probe = BatchScorer.of(shipped.model(), ChunkScorer.sequential());
        } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage());
        }
        ModelManifest m = probe.manifest();
        String runId = o.runId() != null ? o.runId()
                : m.name() + "-" + m.version() + "-" + Checksums.sha256(o.data().getBytes(StandardCharsets.UTF_8)).substring(0, 12);

        Dataset<Row> input = read(o.data(), o.inputFormat(), probe.inputColumns());
        StructType schema = PredictionSchema.of(probe.columns(), probe.task());
        boolean java8Dates = Boolean.parseBoolean(spark.conf().get("spark.sql.datetime.java8API.enabled", "false"));
        Broadcast<ShippedModel> model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(shipped);
        try {
            Object[] stamp = {m.name(), m.version(), m.gitCommit(), runId};
            // counts for the summary: Spark merges the updates of successful tasks only
            LongAccumulator scored = spark.sparkContext().longAccumulator("scored");
            LongAccumulator rejected = spark.sparkContext().longAccumulator("rejected");
            PartitionScorer scorer = new PartitionScorer(model, probe.inputColumns(), stamp, LocalDate.now(ZoneOffset.UTC),
                    java8Dates, o.chunkSize(), schema.size(), scored, rejected);
            Dataset<Row> predictions = input.mapPartitions(scorer, Encoders.row(schema));
            List<String> partitions = new ArrayList<>(List.of(PredictionSchema.OUTCOME));
            if (o.format() == Format.PARQUET) {
                partitions.add(PredictionSchema.dateColumn(probe.task()));
            }
            var writer = predictions.write().mode(SaveMode.Overwrite).partitionBy(partitions.toArray(String[]::new));
            if (o.format() == Format.CSV) {
                writer.option("header", "true").csv(o.out());
            } else {
                writer.parquet(o.out());
            }
            return new Summary(runId, m.name() + " " + m.version(), scored.value(), rejected.value(),
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            model.destroy();
        }
    }

    /**
     * The input columns as text (CSV: every column is text; Parquet: typed, turned into text on the executors), and
     * each row's source file last. A missing column is the caller's error, named before any task starts.
     */
    Dataset<Row> read(String data, Format format, List<String> columns) {
        Format f = format != null ? format : data.toLowerCase(Locale.ROOT).endsWith(".csv") ? Format.CSV : Format.PARQUET;
        Dataset<Row> df;
        try {
            df = f == Format.CSV
                    ? spark.read().option("header", "true").option("mode", "PERMISSIVE").csv(data)
                    : spark.read().parquet(data);
        } catch (Exception e) { // Scala throws AnalysisException (path not found, not Parquet) undeclared
            if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
                throw e;
            }
            throw new DataException("cannot read " + data + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        List<String> have = Arrays.asList(df.columns());
        List<String> missing = columns.stream().filter(c -> !have.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new DataException(data + " has no column(s) " + missing + " (it has " + have + ")");
        }
        List<Column> selected = new ArrayList<>(columns.stream().map(org.apache.spark.sql.functions::col).toList());
        selected.add(col("_metadata.file_path"));
        return df.select(selected.toArray(Column[]::new));
    }
}
