package com.orderintel.spark;

import com.orderintel.dataset.DataException;
import com.orderintel.registry.RegistryException;
import com.orderintel.spark.scoring.ScoreJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code spark-jobs}: the platform's batch jobs on Apache Spark (local, standalone or Kubernetes through spark-submit). */
@Command(name = "spark-jobs", mixinStandardHelpOptions = true, subcommands = {SparkJobs.Score.class, BuildDataset.class},
        description = "Batch scoring and training snapshots on Apache Spark.")
public final class SparkJobs implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: score or build-dataset");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command; errors are one line on {@code err} (no stack trace), exit code 1 (data) or 2 (usage). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SparkJobs()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof DataException || e instanceof RegistryException) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The session: the master from --master, else from spark-submit (spark.master), else all local cores. */
    public static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("order-intelligence")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.ui.enabled", "false")
                // scoring costs CPU per byte read: 32 MB splits instead of 128 MB give every core work to the end
                // (300 MB of CSV was 3 tasks on 2 cores, the last one alone)
                .config("spark.sql.files.maxPartitionBytes", "32m")
                .config("spark.sql.sources.partitionOverwriteMode", "static");
        if (master != null) {
            b.master(master);
        } else if (System.getProperty("spark.master") == null) {
            b.master("local[*]");
        }
        return b.getOrCreate();
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Score orders or demand rows (CSV or Parquet; local, file:// or s3a://) with a registered model.")
    static final class Score implements Callable<Integer> {
        @Option(names = "--model-uri", required = true, description = "MODEL_URI, e.g. file:///reg/order-anomaly@production.")
        String modelUri;
        @Option(names = "--data", required = true, description = "Input file or directory (CSV or Parquet).")
        String data;
        @Option(names = "--input-format", description = "csv or parquet (default: csv when --data ends in .csv, else parquet).")
        ScoreJob.Format inputFormat;
        @Option(names = "--out", required = true, description = "Output directory (replaced).")
        String out;
        @Option(names = "--format", defaultValue = "parquet", description = "parquet (partitioned by date) or csv.")
        ScoreJob.Format format;
        @Option(names = "--run-id", description = "Run id stamped on every row (default: model version + input hash).")
        String runId;
        @Option(names = "--chunk-size", defaultValue = "10000", description = "Rows scored per batch call in a task.")
        int chunkSize;
        @Option(names = "--master", description = "Spark master, e.g. local[2] (default: spark-submit's, else local[*]).")
        String master;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ScoreJob.Options o = new ScoreJob.Options(modelUri, data, inputFormat, out, format, runId, chunkSize);
            boolean ours = SparkSession.getDefaultSession().isEmpty();
            SparkSession spark = session(master);
            try {
                ScoreJob.Summary s = new ScoreJob(spark).run(o);
                spec.commandLine().getOut().printf(Locale.ROOT, "run %s: %s scored %,d rows, rejected %,d, in %.1f s -> %s%n",
                        s.runId(), s.model(), s.scored(), s.rejected(), s.took().toMillis() / 1000.0, out);
                return 0;
            } finally {
                if (ours) { // a session the caller made (a test, a notebook) stays theirs
                    spark.stop();
                }
            }
        }
    }
}
