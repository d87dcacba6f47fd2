package com.orderintel.runner;

import com.orderintel.dataset.DataException;
import com.orderintel.snapshot.QualityChecks;
import com.orderintel.snapshot.SnapshotExport;
import com.orderintel.snapshot.SnapshotManifest;
import com.orderintel.snapshot.SnapshotStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dataset export}: labelled training sets from the service's capture tables, as durable snapshots. */
@Command(name = "dataset", description = "Dataset snapshots of the shop's own data.", subcommands = DatasetCommand.Export.class)
final class DatasetCommand {

    /** Exit code when no part had --min-rows rows: nothing was written (distinct from 2, a failed check). */
    static final int NOT_ENOUGH_DATA = 3;

    @Command(name = "export", description = "Export labelled orders and demand actuals from PostgreSQL to "
            + "<out>/datasets/<name>/<snapshot-id>/ as CSV and Parquet with a manifest. Exit 2: a quality check failed;"
            + " exit 3: fewer than --min-rows rows, nothing written.")
    static final class Export implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        DatabaseOptions database;
        @Option(names = "--since", required = true, description = "Start, inclusive: ISO date (UTC midnight) or instant.")
        String since;
        @Option(names = "--until", required = true, description = "End, exclusive: ISO date (UTC midnight) or instant.")
        String until;
        @Option(names = "--out", required = true, description = "Root: file:///dir or s3://bucket/prefix (snapshots go under datasets/<name>/).")
        String out;
        @Option(names = "--name", defaultValue = "shop", description = "Snapshot series (default ${DEFAULT-VALUE}); drift is checked against its previous snapshot.")
        String name;
        @Option(names = "--snapshot-id", description = "Snapshot id (default: the export time, yyyyMMdd'T'HHmmssSSS'Z').")
        String snapshotId;
        @Option(names = "--parts", split = ",", defaultValue = "orders,demand", description = "orders, demand and/or notes (note features of captured orders, with the prompt versions that made them; default ${DEFAULT-VALUE}).")
        List<String> parts;
        @Option(names = "--min-rows", defaultValue = "2", description = "A part with fewer labelled rows is left out (default ${DEFAULT-VALUE}).")
        long minRows;
        @Option(names = "--max-positive-rate", defaultValue = "0.5", description = "Most anomalous labels allowed (default ${DEFAULT-VALUE}).")
        double maxPositiveRate;
        @Option(names = "--max-psi", defaultValue = "0.25", description = "Largest PSI of a feature against the previous snapshot (default ${DEFAULT-VALUE}).")
        double maxPsi;
        @Option(names = "--duplicates", defaultValue = "fail", description = "A key captured twice with different values: fail or latest (default ${DEFAULT-VALUE}).")
        String duplicates;
        @Option(names = "--outputs-file", description = "Append key=value lines (snapshot=, orders=, demand=) here, e.g. $GITHUB_OUTPUT.")
        Path outputsFile;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            QualityChecks.Duplicates policy = switch (duplicates.strip().toLowerCase(Locale.ROOT)) {
                case "fail" -> QualityChecks.Duplicates.FAIL;
                case "latest" -> QualityChecks.Duplicates.LATEST;
                default -> throw new DataException("--duplicates must be fail or latest, got '" + duplicates + "'");
            };
            SnapshotExport.Options options = new SnapshotExport.Options(name, instant("--since", since), instant("--until", until),
                    SnapshotStorage.parse(out), snapshotId, new LinkedHashSet<>(parts.stream().map(String::strip).toList()),
                    minRows, new QualityChecks.Limits(maxPositiveRate, maxPsi, policy));
            PrintWriter stdout = spec.commandLine().getOut();
            SnapshotExport.Result r;
            try {
                r = new SnapshotExport(database.dataSource(), Clock.systemUTC(), stdout).run(options);
            } catch (SnapshotExport.NotEnoughData e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return NOT_ENOUGH_DATA;
            }
            StringBuilder outputs = new StringBuilder("snapshot=" + r.snapshot() + "\n");
            stdout.println("snapshot " + r.snapshot());
            for (Map.Entry<String, SnapshotManifest.Part> e : r.manifest().parts().entrySet()) {
                SnapshotManifest.Part p = e.getValue();
                if (p.skipped() != null) {
                    stdout.println("  " + e.getKey() + " skipped: " + p.skipped());
                } else {
                    stdout.printf(Locale.ROOT, "  %s %d rows: %s%n", e.getKey(), p.rows(),
                            String.join(", ", p.files().stream().map(f -> f.file() + " sha256 " + f.sha256()).toList()));
                    outputs.append(e.getKey()).append('=').append(r.snapshot()).append('\n');
                }
            }
            if (outputsFile != null) {
                try {
                    Files.writeString(outputsFile, outputs, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new DataException("cannot write " + outputsFile + ": " + e.getMessage(), e);
                }
            }
            return 0;
        }

        static Instant instant(String option, String text) {
            return SnapshotExport.instant(option, text);
        }
    }
}
