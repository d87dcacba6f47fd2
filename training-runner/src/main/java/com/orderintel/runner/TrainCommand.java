package com.orderintel.runner;

import com.orderintel.anomaly.AnomalyTraining;
import com.orderintel.anomaly.IsolationForestTrainer;
import com.orderintel.dataset.Datasets;
import com.orderintel.forecast.DemandTraining;
import com.orderintel.registry.ModelManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** {@code train demand} and {@code train anomaly}: the original scripts' flags, plus a model version. */
@Command(name = "train", description = "Train a model and write it (manifest, artifact, metrics.json) to --model-out.",
        subcommands = {TrainCommand.Demand.class, TrainCommand.Anomaly.class})
final class TrainCommand {

    abstract static class Common implements Runnable {
        @Option(names = "--data", required = true, description = "Training CSV.")
        Path data;
        @Option(names = "--model-out", required = true, description = "Output directory.")
        Path modelOut;
        @Option(names = "--random-state", defaultValue = "42")
        long seed;
        @Option(names = "--model-version", description = "Version to publish under (default: the git commit sha).")
        String version;
        @Option(names = "--metrics-out", description = "Also write metrics.json here (for CI artifacts).")
        Path metricsOut;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

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
                    throw new com.orderintel.dataset.DataException("cannot write " + metricsOut + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Command(name = "demand", description = "OLS demand forecast per product (the original baseline).")
    static final class Demand extends Common {
        @Option(names = "--test-size", defaultValue = "0.2", description = "Held-out fraction (0 = fit on all rows).")
        double testSize;

        @Override
        public void run() {
            long start = System.nanoTime();
            DemandTraining.Result r = new DemandTraining().train(Datasets.demand(data), testSize, seed);
            ModelManifest m = ModelPackage.write(modelOut, r.trained(), version);
            report(m, (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Command(name = "anomaly", description = "Isolation Forest over order metrics (the original anomaly model).")
    static final class Anomaly extends Common {
        @Option(names = "--contamination", defaultValue = "0.1", description = "Expected anomaly share, in (0, 0.5].")
        double contamination;
        @Option(names = "--n-estimators", defaultValue = "200")
        int trees;

        @Override
        public void run() {
            IsolationForestTrainer.Options options = new IsolationForestTrainer.Options(trees, contamination, seed);
            long start = System.nanoTime();
            AnomalyTraining.Result r = new AnomalyTraining().train(Datasets.orders(data), options);
            ModelManifest m = ModelPackage.write(modelOut, r.trained(), version);
            report(m, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
