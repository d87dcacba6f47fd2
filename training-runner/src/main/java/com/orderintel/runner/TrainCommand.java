package com.orderintel.runner;

import com.orderintel.training.anomaly.AnomalyTraining;
import com.orderintel.training.anomaly.IsolationForestTrainer;
import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Datasets;
import com.orderintel.training.forecast.DemandTraining;
import com.orderintel.training.forecast.GbtDemandTrainer;
import com.orderintel.training.forecast.XgbDemandTrainer;
import com.orderintel.training.Split;
import com.orderintel.registry.ModelManifest;
import com.orderintel.training.ModelPackage;
import com.orderintel.training.Provenance;
import com.orderintel.training.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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
        @Option(names = {"--model-version", "--version"}, description = "Model version (default: the git commit sha).")
        String version;
        @Option(names = "--metrics-out", description = "Also write metrics.json here (for CI artifacts).")
        Path metricsOut;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

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

    @Command(name = "demand", description = "Demand forecast: OLS per product (the original baseline) or gradient-boosted trees.")
    static final class Demand extends Common {
        @Option(names = "--test-size", defaultValue = "0.2", description = "Held-out fraction (0 = fit on all rows).")
        double testSize;
        @Option(names = "--algorithm", defaultValue = "ols",
                description = "ols (default), xgboost (the strong model: Tribuo's XGBoost) or gbt (Smile).")
        String algorithm;
        @Option(names = "--split", defaultValue = "random",
                description = "Hold-out rows: random (default, seeded) or time (the latest dates).")
        String split;
        @Option(names = "--n-estimators", description = "gbt/xgboost: number of trees (default 200 / 400).")
        Integer trees;
        @Option(names = "--max-depth", defaultValue = "6", description = "xgboost: tree depth (default ${DEFAULT-VALUE}).")
        int maxDepth;
        @Option(names = "--max-nodes", defaultValue = "32", description = "gbt: leaves per tree (default ${DEFAULT-VALUE}).")
        int maxNodes;
        @Option(names = "--shrinkage", defaultValue = "0.1", description = "gbt/xgboost: learning rate (default ${DEFAULT-VALUE}).")
        double shrinkage;

        @Override
        public void run() {
            long start = System.nanoTime();
            CompletableFuture<Provenance> provenance = provenance(); // git runs while the CSV is read
            Split.Kind kind = switch (split.strip().toLowerCase(Locale.ROOT)) {
                case "random" -> Split.Kind.RANDOM;
                case "time" -> Split.Kind.TIME;
                default -> throw new DataException("--split must be 'random' or 'time', got '" + split + "'");
            };
            TrainedModel<?> trained = switch (algorithm.strip().toLowerCase(Locale.ROOT)) {
                case "ols" -> new DemandTraining().train(Datasets.demand(data), testSize, seed, kind, provenance.join()).trained();
                case "gbt" -> {
                    quietSmile();
                    GbtDemandTrainer.Options d = GbtDemandTrainer.Options.defaults(seed);
                    GbtDemandTrainer.Options options = new GbtDemandTrainer.Options(trees == null ? d.trees() : trees,
                            d.maxDepth(), maxNodes, d.nodeSize(), shrinkage, d.subsample(), seed);
                    var rows = Datasets.demand(data);
                    yield new DemandTraining().trainGbt(rows, testSize, kind, options, progress("gbt", rows), provenance.join())
                            .trained();
                }
                case "xgboost" -> {
                    XgbDemandTrainer.Options d = XgbDemandTrainer.Options.defaults(seed);
                    XgbDemandTrainer.Options options = new XgbDemandTrainer.Options(trees == null ? d.trees() : trees,
                            maxDepth, shrinkage, d.subsample(), d.minChildWeight(), d.lambda(), d.threads(), seed);
                    var rows = Datasets.demand(data);
                    try (ProgressReporter progress = progress("xgboost", rows).heartbeat(options.trees())) {
                        yield new DemandTraining().trainXgb(rows, testSize, kind, options, progress, provenance.join()).trained();
                    }
                }
                default -> throw new DataException("--algorithm must be 'ols', 'xgboost' or 'gbt', got '" + algorithm + "'");
            };
            ModelManifest m = ModelPackage.write(modelOut, trained);
            report(m, (System.nanoTime() - start) / 1_000_000);
        }

        private ProgressReporter progress(String what, Datasets.Loaded<?> rows) {
            return new ProgressReporter(spec.commandLine().getErr(), what, Math.round(rows.rows().size() * (1 - testSize)));
        }

        /**
         * Smile's GradientTreeBoost logs one INFO line per tree, which would bury the CLI's summary. Set here, not
         * in a logback.xml, because this jar is also on the advisor service's class path, where a logback.xml
         * would replace Spring Boot's logging set-up.
         */
        private static void quietSmile() {
            if (org.slf4j.LoggerFactory.getLogger("smile") instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.WARN);
            }
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
            CompletableFuture<Provenance> provenance = provenance(); // git runs while the CSV is read
            AnomalyTraining.Result r = new AnomalyTraining().train(Datasets.orders(data), options, provenance.join());
            ModelManifest m = ModelPackage.write(modelOut, r.trained());
            report(m, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
