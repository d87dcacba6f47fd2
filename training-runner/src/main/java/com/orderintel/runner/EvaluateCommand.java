package com.orderintel.runner;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.training.anomaly.AnomalyTraining;
import com.orderintel.training.anomaly.DetectionMetrics;
import com.orderintel.dataset.DataException;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.training.forecast.DemandTraining;
import com.orderintel.training.forecast.RegressionMetrics;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ModelCodecs;
import com.orderintel.registry.ModelLoader;
import com.orderintel.registry.ModelManifest;
import com.orderintel.training.ModelPackage;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.ServingBudget;
import com.orderintel.registry.ServableModel;
import com.orderintel.snapshot.DatasetSource;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.training.report.TrainingReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Scores a trained model (a directory or a MODEL_URI) on a labelled data set and prints its metrics. */
@Command(name = "evaluate", description = "Evaluate a trained model on a data set (MAE/R2 or precision/recall/F1).")
final class EvaluateCommand implements Runnable {

    static final class Source {
        @Option(names = "--model-dir", required = true, description = "Directory written by 'train'.")
        Path modelDir;
        @Option(names = "--model-uri", required = true,
                description = "MODEL_URI of a published model, e.g. file:///reg/order-anomaly@production.")
        String modelUri;
    }

    @ArgGroup(multiplicity = "1")
    Source source;
    @Option(names = "--data", required = true, description = "A CSV path or a file:// / s3:// URI (snapshot directory, .csv or .parquet).")
    String data;
    @Option(names = "--report", paramLabel = "FILE",
            description = "Where to write the evaluation report (default: evaluation-report.html in --model-dir, beside "
                    + "the training report; <model>-<version>-evaluation-report.html in the current directory for --model-uri).")
    Path reportFile;
    @Option(names = "--no-report", description = "Do not write a report.")
    boolean noReport;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        ServableModel model = source.modelUri != null ? ModelLoader.load(source.modelUri) : fromDir(source.modelDir);
        Map<String, Double> metrics;
        java.util.function.Supplier<TrainingReport> report;
        String what = "evaluation rows (" + data.substring(data.lastIndexOf('/') + 1) + ")";
        if (model instanceof DemandForecaster d) {
            List<DemandRow> rows = DatasetSource.demand(data).rows();
            RegressionMetrics m = DemandTraining.evaluate(d, rows);
            metrics = m.asMap();
            report = () -> TrainingReport.demand(d, model.manifest(), rows, rows, what).evaluation(data, metrics);
        } else if (model instanceof AnomalyDetector a) {
            List<OrderRow> rows = DatasetSource.orders(data).rows();
            DetectionMetrics m = AnomalyTraining.evaluate(a, rows);
            if (m == null) {
                throw new DataException(data + ": column 'label' is needed on every row to evaluate an anomaly model");
            }
            metrics = m.asMap();
            report = () -> TrainingReport.anomaly(a, model.manifest(), rows, what).evaluation(data, metrics);
        } else {
            throw new DataException("model " + model.manifest().name() + " has an unsupported task");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s %s on %s%n", model.manifest().name(), model.manifest().version(), data);
        metrics.forEach((k, v) -> out.printf(Locale.ROOT, "  %-16s %.6f%n", k, v));
        if (!noReport) {
            Path target = reportFile != null ? reportFile : source.modelDir != null
                    ? source.modelDir.resolve(TrainingReport.EVALUATION_FILE_NAME)
                    : Path.of(model.manifest().name() + "-" + model.manifest().version() + "-" + TrainingReport.EVALUATION_FILE_NAME);
            out.printf("  report           %s%n", report.get().writeTo(target));
        }
    }

    /**
     * The model of a package directory, within the serving budget ({@code MODEL_MAX_SERVING_BYTES}, as a
     * {@code --model-uri} load and the service): the declared artifact size is checked against it and the file's
     * size against the declared one before the file is read, the serving form by the codec before it is built.
     */
    static ServableModel fromDir(Path dir) {
        ModelManifest manifest = ModelPackage.read(dir);
        ServingBudget budget = ServingBudget.fromEnvironment();
        budget.checkArtifact(manifest);
        try {
            Path file = dir.resolve(manifest.artifact().file());
            ModelUri uri = new ModelUri(dir.toUri().toString(), manifest.name(), manifest.version(), null);
            long size = Files.size(file);
            if (size != manifest.artifact().size()) {
                throw new RegistryException(RegistryException.Reason.CHECKSUM_MISMATCH, "artifact " + file + " of " + uri
                        + " is " + size + " bytes, its manifest declares " + manifest.artifact().size() + ": not read");
            }
            byte[] artifact = Files.readAllBytes(file);
            FileSystemModelStore.verifyBytes(uri, manifest, artifact);
            return ModelCodecs.decode(manifest, artifact, budget);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot read artifact " + manifest.artifact().file() + ": " + e.getMessage(), e);
        }
    }
}
