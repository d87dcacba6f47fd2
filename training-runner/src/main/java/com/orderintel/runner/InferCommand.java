package com.orderintel.runner;

import com.orderintel.batch.BatchInference;
import com.orderintel.registry.ModelLoader;
import com.orderintel.registry.ServableModel;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;

/** Batch inference of a published model over a CSV file or a table, written to PostgreSQL. */
@Command(name = "infer", description = "Score a CSV file or a table with a model and write predictions to PostgreSQL.")
final class InferCommand implements Runnable {

    static final class Input {
        @Option(names = "--data", required = true, description = "Input CSV (orders or demand queries).")
        Path data;
        @Option(names = "--input-table", required = true, description = "Input table with the same columns.")
        String table;
    }

    @Option(names = "--model-uri", required = true, description = "MODEL_URI of the model, e.g. file:///reg/order-anomaly@production.")
    String modelUri;
    @ArgGroup(multiplicity = "1")
    Input input;
    @CommandLine.Mixin
    DatabaseOptions database;
    @Option(names = "--run-id", description = "Run id; re-running it resumes or redoes (default: model version + input hash).")
    String runId;
    @Option(names = "--chunk-size", defaultValue = "10000", description = "Rows per transaction (a re-run resumes after the last committed chunk).")
    int chunkSize;
    @Option(names = "--on-bad-row", defaultValue = "fail",
            description = "What a row that does not parse does: skip it (counted) or fail the run. One of: ${COMPLETION-CANDIDATES}.")
    BadRow onBadRow;

    /** {@code --on-bad-row} choices, shown and parsed as lower-case words. */
    enum BadRow {
        SKIP(BatchInference.OnBadRow.SKIP), FAIL(BatchInference.OnBadRow.FAIL);

        final BatchInference.OnBadRow mode;

        BadRow(BatchInference.OnBadRow mode) {
            this.mode = mode;
        }

        @Override
        public String toString() {
            return Choice.word(this);
        }
    }
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        BatchInference.OnBadRow mode = onBadRow.mode;
        ServableModel model = ModelLoader.load(modelUri);
        BatchInference.Summary s = new BatchInference(database.migrated(), spec.commandLine().getOut())
                .run(new BatchInference.Job(model, input.data, input.table, runId, chunkSize, mode));
        spec.commandLine().getOut().printf(Locale.ROOT, "run %s %s: %d rows read, %d written, %d skipped in %.1f s (%,.0f rows/s)%n",
                s.runId(), s.status(), s.rowsRead(), s.rowsWritten(), s.rowsSkipped(), s.took().toMillis() / 1000.0,
                s.rowsRead() / Math.max(1e-3, s.took().toMillis() / 1000.0));
    }
}
