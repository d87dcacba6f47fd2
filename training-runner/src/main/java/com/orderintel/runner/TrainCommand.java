package com.orderintel.runner;

import com.orderintel.training.anomaly.AnomalyTraining;
import com.orderintel.training.anomaly.IsolationForestTrainer;
import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Datasets;
import com.orderintel.training.forecast.DemandTraining;
import com.orderintel.training.forecast.DemandTrainer;
import com.orderintel.registry.ModelManifest;
import com.orderintel.snapshot.DatasetSource;
import com.orderintel.snapshot.NoteFeatureSet;
import com.orderintel.training.NoteInputs;
import com.orderintel.llm.NoteFeatureEncoding;
import com.orderintel.training.ModelPackage;
import com.orderintel.training.Provenance;
import com.orderintel.training.TrainedModel;
import com.orderintel.training.Split;
import com.orderintel.training.report.TrainingReport;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandForecaster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code train demand} and {@code train anomaly}: the Python scripts' flags, plus a model version. */
@Command(name = "train", description = "Train a model and write it (manifest, artifact, metrics.json, report.html) to --model-out.",
        subcommands = {TrainCommand.Demand.class, TrainCommand.Anomaly.class})
final class TrainCommand extends ParentCommand {

    abstract static class Common implements Runnable {
        @Option(names = "--data", required = true, description = "Training data: a CSV path, or a file:// or s3:// URI of a"
                + " dataset snapshot directory or a single .csv / .parquet file.")
        String data;
        @Option(names = "--model-out", required = true, description = "Output directory (created if missing).")
        Path modelOut;
        @Option(names = "--random-state", defaultValue = "42", description = "Random seed of the split and the trees.")
        long seed;
        @Option(names = {"--model-version", "--version"}, description = "Model version (default: the git commit sha).")
        String version;
        @Option(names = "--metrics-out", description = "Also write metrics.json here (for CI artifacts).")
        Path metricsOut;
        @Option(names = "--no-report", description = "Do not write report.html (the plots for deciding on promotion) beside the model.")
        boolean noReport;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /**
         * Starts drawing report.html's charts on the common pool (they need only the model and the rows), so they
         * are drawn while the model package is written; null with --no-report.
         */
        CompletableFuture<TrainingReport> drawReport(java.util.function.Supplier<TrainingReport> report) {
            if (noReport) {
                return null;
            }
            reportStarted = System.nanoTime();
            return CompletableFuture.supplyAsync(report);
        }

        private long reportStarted;

        /**
         * Writes the drawn report beside the model and says where it is and what it cost from the start of the
         * drawing. The model is already complete, so a report that cannot be drawn (e.g. no fonts in a slim
         * container) is a warning, not a failure.
         */
        void writeReport(CompletableFuture<TrainingReport> drawing) {
            if (drawing == null) {
                return;
            }
            try {
                Path file = drawing.join().writeTo(modelOut.resolve(TrainingReport.FILE_NAME));
                spec.commandLine().getOut().printf(Locale.ROOT, "  report           %s (%d ms)%n", file,
                        (System.nanoTime() - reportStarted) / 1_000_000);
            } catch (java.util.concurrent.CompletionException e) {
                spec.commandLine().getErr().println("warning: report.html not written: " + e.getCause());
            } catch (RuntimeException | LinkageError | InternalError | java.awt.AWTError e) {
                spec.commandLine().getErr().println("warning: report.html not written: " + e);
            }
        }

        /** The run's provenance, looked up (a `git rev-parse` process) on another thread. */
        CompletableFuture<Provenance> provenance() {
            return CompletableFuture.supplyAsync(() -> Provenance.current(version, Clock.systemUTC()));
        }

        void report(ModelManifest manifest, long millis) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "trained %s version %s on %d rows in %d ms -> %s%n", manifest.name(), manifest.version(),
                    manifest.dataset().rows(), millis, modelOut);
            for (Map.Entry<String, Double> e : manifest.metrics().entrySet()) {
                out.printf(Locale.ROOT, "  %-16s %.6f%n", e.getKey(), e.getValue());
            }
            if (metricsOut != null) {
                try {
                    java.nio.file.Files.copy(modelOut.resolve(ModelPackage.METRICS_FILE), metricsOut,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (java.io.IOException e) {
                    throw new DataException("cannot write " + metricsOut + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Command(name = "demand", description = "Demand forecast: OLS per product (the Python experiments' baseline) or XGBoost.")
    static final class Demand extends Common {
        /** The demand algorithms ({@link DemandTrainer#ALL}); help and errors list them as lower-case words. */
        enum Algorithm {
            OLS, XGBOOST;

            @Override
            public String toString() {
                return Choice.word(this);
            }
        }

        /** How the held-out rows are chosen. */
        enum SplitKind {
            RANDOM(Split.Kind.RANDOM), TIME(Split.Kind.TIME);

            final Split.Kind kind;

            SplitKind(Split.Kind kind) {
                this.kind = kind;
            }

            @Override
            public String toString() {
                return Choice.word(this);
            }
        }

        @Option(names = "--test-size", defaultValue = "0.2", description = "Held-out fraction, in [0, 1) (0 = fit on all rows).")
        double testSize;
        @Option(names = "--algorithm", defaultValue = "ols",
                description = "One of: ${COMPLETION-CANDIDATES}. ols: per-product least squares (the Python experiments' baseline); "
                        + "xgboost: XGBoost on a per-product baseline (the strong model).")
        Algorithm algorithm;
        @Option(names = "--split", defaultValue = "random",
                description = "Hold-out rows: random (seeded) or time (the latest dates). One of: ${COMPLETION-CANDIDATES}.")
        SplitKind split;
        @Option(names = "--n-estimators", description = "xgboost: number of trees (default 100).")
        Integer trees;
        @Option(names = "--max-depth", defaultValue = "4", description = "xgboost: tree depth.")
        int maxDepth;
        @Option(names = "--shrinkage", description = "xgboost: learning rate, in (0, 1] (default 0.2).")
        Double shrinkage;

        @Override
        public void run() {
            DemandTrainer trainer = DemandTrainer.named(algorithm.toString());
            trainer.prepare();
            Map<String, Object> hyper = trainer.hyperParameters(new DemandTrainer.Flags(trees, maxDepth, shrinkage));
            long start = System.nanoTime();
            CompletableFuture<Provenance> provenance = provenance(); // git runs while the data is read
            Datasets.Loaded<DemandRow> loaded = DatasetSource.demand(data);
            TrainingReport.DataCharts dataCharts = noReport ? null : TrainingReport.demandData(loaded.rows());
            DemandTraining.Result<?> result;
            ProgressReporter progress = new ProgressReporter(spec.commandLine().getErr(), trainer.name(),
                    Math.round(loaded.rows().size() * (1 - testSize)));
            if (hyper.get("n_estimators") instanceof Integer trees) { // a tree ensemble, built in one native call
                progress.heartbeat(trees);
            }
            try (progress) {
                result = new DemandTraining().train(loaded, trainer, hyper, new DemandTraining.Settings(testSize, seed, split.kind),
                        progress, provenance.join());
            }
            TrainedModel<?> trained = result.trained();
            List<DemandRow> evaluated = testSize > 0 ? result.heldOut() : loaded.rows();
            CompletableFuture<TrainingReport> drawing = drawReport(() -> TrainingReport.demand((DemandForecaster) trained.model(),
                    trained.manifest(), evaluated,
                    testSize > 0 ? "held-out rows (test size " + testSize + ")" : "training rows (no hold-out: --test-size 0)",
                    dataCharts));
            ModelManifest m = ModelPackage.write(modelOut, trained);
            long trainedMillis = (System.nanoTime() - start) / 1_000_000;
            report(m, trainedMillis);
            writeReport(drawing);
        }
    }

    @Command(name = "anomaly", description = "Isolation Forest over order metrics (as the Python experiments' scikit-learn model).")
    static final class Anomaly extends Common {
        @Option(names = "--contamination", defaultValue = "0.1",
                description = "Expected anomaly share, in (0, 0.5]: the threshold flags this share of the training rows. "
                        + "Set it to the data's anomaly rate (the report plots precision and recall against it).")
        double contamination;
        @Option(names = "--n-estimators", defaultValue = "200", description = "Number of isolation trees.")
        int trees;
        @Option(names = "--note-features", paramLabel = "sentiment,category",
                description = "Also use the orders' note features (from --notes): sentiment (-1/0/1) and/or category "
                        + "(one-hot); an order without a note gets the neutral value (0s). The manifest pins the prompt version "
                        + "that defined them; the service computes them with the offline rules when it scores.")
        String noteFeatures;
        @Option(names = "--notes", description = "The note features: a dataset snapshot with a notes part (default: --data,"
                + " when it is a snapshot), or a notes .csv / .parquet file. Only with --note-features.")
        String notes;

        @Override
        public void run() {
            IsolationForestTrainer.Options options = new IsolationForestTrainer.Options(trees, contamination, seed);
            long start = System.nanoTime();
            CompletableFuture<Provenance> provenance = provenance(); // git runs while the data is read
            if (notes != null && noteFeatures == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--notes needs --note-features (sentiment, category)");
            }
            NoteFeatureEncoding encoding = null;
            if (noteFeatures != null) {
                try {
                    encoding = NoteFeatureEncoding.parse(noteFeatures);
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--note-features: " + e.getMessage());
                }
            }
            Datasets.Loaded<OrderRow> orders = DatasetSource.orders(data);
            TrainingReport.DataCharts dataCharts = noReport ? null : TrainingReport.anomalyData(orders.rows(), "training rows");
            NoteInputs noteInputs = encoding == null ? null
                    : NoteFeatureSet.of(encoding, DatasetSource.notes(notes != null ? notes : data));
            if (noteInputs != null && !noteInputs.ignored().isEmpty()) {
                spec.commandLine().getErr().println("warning: note rows made by other models were left out (their orders get the"
                        + " neutral value; the service computes note features with " + NoteFeatureEncoding.COMPUTED_BY + "): "
                        + noteInputs.ignored());
            }
            AnomalyTraining.Result r = new AnomalyTraining().train(orders, noteInputs, options, provenance.join());
            CompletableFuture<TrainingReport> drawing = drawReport(() -> TrainingReport.anomaly(
                    noteInputs == null ? r.model() : noteInputs.joining(r.model()), r.trained().manifest(), orders.rows(), "training rows",
                    dataCharts));
            ModelManifest m = ModelPackage.write(modelOut, r.trained());
            report(m, (System.nanoTime() - start) / 1_000_000);
            writeReport(drawing);
        }
    }
}
