package com.orderintel.runner;

import com.orderintel.dataset.DataException;
import com.orderintel.snapshot.SnapshotExport;
import com.orderintel.snapshot.SnapshotManifest;
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
        @picocli.CommandLine.Mixin
        SnapshotOptions snapshot;
        @Option(names = "--outputs-file", description = "Append key=value lines (snapshot=, orders=, demand=) here, e.g. $GITHUB_OUTPUT.")
        Path outputsFile;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SnapshotExport.Options options = snapshot.options();
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
    }
}
