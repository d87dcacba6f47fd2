package com.orderintel.spark;

import com.orderintel.dataset.DataException;
import com.orderintel.runner.SnapshotOptions;
import com.orderintel.snapshot.SnapshotExport;
import com.orderintel.snapshot.SnapshotManifest;
import com.orderintel.spark.dataset.CaptureTables;
import com.orderintel.spark.dataset.SparkCapturedRows;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code spark-jobs build-dataset}: the snapshot {@code training-runner dataset export} writes (same rules, checks,
 * files and manifest; {@code train --data} reads it), with the capture tables read and the rules applied by Spark.
 */
@Command(name = "build-dataset", mixinStandardHelpOptions = true,
        description = "Build a training snapshot from the capture store (partitioned JDBC reads) or a Parquet copy of its"
                + " tables, as `training-runner dataset export` does. Exit 1: a quality check failed; exit 3: fewer than"
                + " --min-rows rows, nothing written.")
final class BuildDataset implements Callable<Integer> {

    /** As the runner's {@code dataset export}: no part had --min-rows rows, nothing was written. */
    static final int NOT_ENOUGH_DATA = 3;

    @CommandLine.ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--jdbc-url", required = true, description = "The capture store, jdbc:postgresql://host/db.")
        String jdbcUrl;
        @Option(names = "--parquet", required = true, description = "A Parquet copy: DIR/<table>/ per capture table (local, file:// or s3a://).")
        String parquet;
    }

    @Option(names = "--user", defaultValue = "${env:SPRING_DATASOURCE_USERNAME:-postgres}", description = "Database user.")
    String user;
    @Option(names = "--password", defaultValue = "${env:SPRING_DATASOURCE_PASSWORD:-}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER, description = "Database password ($SPRING_DATASOURCE_PASSWORD).")
    String password;
    @Option(names = "--partitions", defaultValue = "8", description = "JDBC read partitions per table (default ${DEFAULT-VALUE}).")
    int partitions;
    @Option(names = "--lower-bound", description = "Split range start of the JDBC reads (default: --since).")
    String lowerBound;
    @Option(names = "--upper-bound", description = "Split range end of the JDBC reads (default: --until).")
    String upperBound;
    @CommandLine.Mixin
    SnapshotOptions snapshot;
    @Option(names = "--master", description = "Spark master, e.g. local[2] (default: spark-submit's, else local[*]).")
    String master;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SnapshotExport.Options options = snapshot.options();
        Instant from = options.since();
        Instant to = options.until();
        PrintWriter stdout = spec.commandLine().getOut();
        boolean ours = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkJobs.session(master);
        try {
            SparkCapturedRows rows = source.jdbcUrl != null
                    ? new SparkCapturedRows(new CaptureTables.Jdbc(spark, source.jdbcUrl, user, password, partitions,
                            lowerBound == null ? from : SnapshotExport.instant("--lower-bound", lowerBound),
                            upperBound == null ? to : SnapshotExport.instant("--upper-bound", upperBound)),
                            "the capture store (JDBC, " + partitions + " partitions per table)")
                    : new SparkCapturedRows(new CaptureTables.Parquet(spark, source.parquet), "a Parquet copy of the capture tables");
            SnapshotExport.Result r;
            try {
                r = new SnapshotExport(rows, Clock.systemUTC(), stdout).run(options);
            } catch (SnapshotExport.NotEnoughData e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return NOT_ENOUGH_DATA;
            }
            stdout.println("snapshot " + r.snapshot());
            for (Map.Entry<String, SnapshotManifest.Part> e : r.manifest().parts().entrySet()) {
                SnapshotManifest.Part p = e.getValue();
                stdout.println(p.skipped() != null ? "  " + e.getKey() + " skipped: " + p.skipped()
                        : String.format(Locale.ROOT, "  %s %d rows", e.getKey(), p.rows()));
            }
            return 0;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // Scala throws AnalysisException (no such table or path, missing column) undeclared
            if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
                throw new IllegalStateException(e);
            }
            throw new DataException("cannot read the capture tables: " + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse(""), e);
        } finally {
            if (ours) {
                spark.stop();
            }
        }
    }
}
