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
import com.orderintel.registry.ServableModel;
import com.orderintel.snapshot.DatasetSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Scores a trained model (a directory or a MODEL_URI) on a labelled data set and prints its metrics. */
@Command(name = "evaluate", description = "Evaluate a trained model on a data set (MAE/R2 or precision/recall/F1).")
final class EvaluateCommand implements Runnable {

    static final class Source {
        @Option(names = "--model-dir", description = "Directory written by 'train'.")
        Path modelDir;
        @Option(names = "--model-uri", description = "MODEL_URI of a published model.")
        String modelUri;
    }

    @ArgGroup(multiplicity = "1")
    Source source;
    @Option(names = "--data", required = true, description = "A CSV path or a file:// / s3:// URI (snapshot directory, .csv or .parquet).")
    String data;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        ServableModel model = source.modelUri != null ? ModelLoader.load(source.modelUri) : fromDir(source.modelDir);
        Map<String, Double> metrics;
        if (model instanceof DemandForecaster d) {
            RegressionMetrics m = DemandTraining.evaluate(d, DatasetSource.demand(data).rows());
            metrics = m.asMap();
        } else if (model instanceof AnomalyDetector a) {
            DetectionMetrics m = AnomalyTraining.evaluate(a, DatasetSource.orders(data).rows());
            if (m == null) {
                throw new DataException(data + ": column 'label' is needed on every row to evaluate an anomaly model");
            }
            metrics = m.asMap();
        } else {
            throw new DataException("model " + model.manifest().name() + " has an unsupported task");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s %s on %s%n", model.manifest().name(), model.manifest().version(), data);
        metrics.forEach((k, v) -> out.printf(Locale.ROOT, "  %-16s %.6f%n", k, v));
    }

    static ServableModel fromDir(Path dir) {
        ModelManifest manifest = ModelPackage.read(dir);
        try {
            byte[] artifact = Files.readAllBytes(dir.resolve(manifest.artifact().file()));
            FileSystemModelStore.verifyBytes(new ModelUri(dir.toUri().toString(), manifest.name(), manifest.version(), null),
                    manifest, artifact);
            return ModelCodecs.decode(manifest, artifact);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot read artifact " + manifest.artifact().file() + ": " + e.getMessage(), e);
        }
    }
}
