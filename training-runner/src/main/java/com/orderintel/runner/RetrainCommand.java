package com.orderintel.runner;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStores;
import com.orderintel.registry.ModelUri;
import com.orderintel.snapshot.DatasetSource;
import com.orderintel.training.ModelPackage;
import com.orderintel.training.Provenance;
import com.orderintel.training.TrainedModel;
import com.orderintel.training.anomaly.AnomalyTraining;
import com.orderintel.training.anomaly.IsolationForestTrainer;
import com.orderintel.training.forecast.DemandTraining;
import com.orderintel.training.forecast.GbtDemandTrainer;
import com.orderintel.training.forecast.XgbDemandTrainer;
import com.orderintel.training.Split;
import com.orderintel.training.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Re-trains a published model from its manifest alone: the dataset it names (fetched from its durable URI and
 * checked against its sha256), the same algorithm, hyper-parameters and seed; prints both sets of metrics.
 */
@Command(name = "retrain", description = "Re-train a published model from its manifest (dataset URI + sha256, algorithm,"
        + " hyper-parameters, seed) and compare the metrics. Exit 3 when a metric differs by more than --tolerance.")
final class RetrainCommand implements Callable<Integer> {

    static final int NOT_REPRODUCED = 3;

    @Option(names = "--from-manifest", required = true, description = "MODEL_URI of the published model, e.g. s3://b/p/order-anomaly@production.")
    String modelUri;
    @Option(names = "--model-out", description = "Also write the re-trained model package here.")
    Path modelOut;
    @Option(names = {"--model-version", "--version"}, description = "Version of the re-trained model (default: the git commit sha).")
    String version;
    @Option(names = "--tolerance", defaultValue = "1e-9", description = "Largest absolute metric difference that counts as reproduced (default ${DEFAULT-VALUE}).")
    double tolerance;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ModelUri uri = ModelUri.parse(modelUri);
        ModelManifest original = ModelStores.open(uri.location()).manifest(uri);
        ModelManifest.DatasetRef ref = original.dataset();
        if (ref == null || ref.uri() == null) {
            throw new DataException(modelUri + ": the manifest names no dataset to re-train from");
        }
        Provenance provenance = Provenance.current(version, Clock.systemUTC());
        Map<String, Object> hyper = original.algorithm().hyperParameters() == null ? Map.of() : original.algorithm().hyperParameters();
        TrainedModel<?> retrained = switch (original.task()) {
            case PROMPT -> throw new DataException(modelUri + " is a prompt version: re-evaluate it with 'prompt eval'");
            case ANOMALY -> {
                Datasets.Loaded<OrderRow> data = verified(DatasetSource.orders(ref.uri()), ref);
                IsolationForestTrainer.Options o = new IsolationForestTrainer.Options(integer(hyper, "n_estimators"),
                        number(hyper, "contamination"), (long) number(hyper, "random_state"));
                yield new AnomalyTraining().train(data, noteInputs(original), o, provenance).trained();
            }
            case REGRESSION -> {
                Datasets.Loaded<DemandRow> data = verified(DatasetSource.demand(ref.uri()), ref);
                double testSize = number(hyper, "test_size");
                long seed = (long) number(hyper, "random_state");
                Split.Kind kind = splitKind(hyper);
                yield switch (original.algorithm().name()) {
                    case "ols" -> new DemandTraining().train(data, testSize, seed, kind, provenance).trained();
                    case "gbt" -> {
                        TrainCommand.Demand.quietSmile();
                        GbtDemandTrainer.Options o = new GbtDemandTrainer.Options(integer(hyper, "n_estimators"),
                                integer(hyper, "max_depth"), integer(hyper, "max_nodes"), integer(hyper, "node_size"),
                                number(hyper, "shrinkage"), number(hyper, "subsample"), seed);
                        yield new DemandTraining().trainGbt(data, testSize, kind, o, TrainingProgress.NONE, provenance).trained();
                    }
                    case "xgboost" -> {
                        XgbDemandTrainer.Options o = new XgbDemandTrainer.Options(integer(hyper, "n_estimators"),
                                integer(hyper, "max_depth"), number(hyper, "eta"), number(hyper, "subsample"),
                                number(hyper, "min_child_weight"), number(hyper, "lambda"),
                                XgbDemandTrainer.Options.defaults(seed).threads(), seed);
                        yield new DemandTraining().trainXgb(data, testSize, kind, o, TrainingProgress.NONE, provenance).trained();
                    }
                    default -> throw new DataException(modelUri + ": unknown demand algorithm '" + original.algorithm().name() + "'");
                };
            }
        };
        if (modelOut != null) {
            ModelPackage.write(modelOut, retrained);
        }
        return report(original, retrained.manifest());
    }

    private int report(ModelManifest original, ModelManifest retrained) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "retrained %s %s (%s) on %s (%d rows, sha256 verified)%n", original.name(), original.version(),
                original.algorithm().name(), original.dataset().uri(), retrained.dataset().rows());
        out.printf(Locale.ROOT, "  %-16s %14s %14s %12s%n", "metric", "original", "retrained", "difference");
        Set<String> names = new LinkedHashSet<>(original.metrics() == null ? Set.of() : original.metrics().keySet());
        names.addAll(retrained.metrics().keySet());
        boolean same = true;
        for (String m : names) {
            Double a = original.metrics() == null ? null : original.metrics().get(m);
            Double b = retrained.metrics().get(m);
            double diff = a == null || b == null ? Double.NaN : b - a;
            same &= Math.abs(diff) <= tolerance; // NaN (a metric on one side only) is not reproduced
            out.printf(Locale.ROOT, "  %-16s %14s %14s %12s%n", m, fmt(a), fmt(b), Double.isNaN(diff) ? "-" : String.format(Locale.ROOT, "%+.3e", diff));
        }
        out.println(same ? "reproduced: every metric within " + tolerance
                : "NOT reproduced: a metric differs by more than " + tolerance);
        return same ? 0 : NOT_REPRODUCED;
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** The data must be byte-identical to what the original was trained on. */
    /** A model with note features re-reads the same notes data (its manifest's note_features.dataset), checked. */
    private static com.orderintel.training.NoteInputs noteInputs(ModelManifest original) {
        com.orderintel.llm.NoteFeatureEncoding encoding;
        try {
            encoding = com.orderintel.llm.NoteFeatureEncoding.fromManifest(original);
        } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage(), e);
        }
        if (encoding == null) {
            return null;
        }
        Object ext = original.extensions().get(com.orderintel.llm.NoteFeatureEncoding.EXTENSION_KEY);
        if (!(ext instanceof Map<?, ?> m) || !(m.get("dataset") instanceof Map<?, ?> d) || d.get("uri") == null) {
            throw new DataException("the manifest's extensions.note_features names no notes dataset to re-train from");
        }
        ModelManifest.DatasetRef ref = new ModelManifest.DatasetRef(d.get("uri").toString(),
                d.get("sha256") == null ? null : d.get("sha256").toString(), d.get("rows") instanceof Number n ? n.longValue() : 0);
        return com.orderintel.snapshot.NoteFeatureSet.of(encoding, verified(DatasetSource.notes(ref.uri()), ref));
    }

    private static <T> Datasets.Loaded<T> verified(Datasets.Loaded<T> data, ModelManifest.DatasetRef ref) {
        if (ref.sha256() != null && !ref.sha256().equals(data.ref().sha256())) {
            throw new DataException(ref.uri() + ": sha256 " + data.ref().sha256() + " differs from the manifest's " + ref.sha256()
                    + "; the training data changed since the model was trained");
        }
        return data;
    }

    private static double number(Map<String, Object> hyper, String key) {
        if (!(hyper.get(key) instanceof Number n)) {
            throw new DataException("the manifest has no numeric hyper-parameter '" + key + "' (found " + hyper.keySet() + ")");
        }
        return n.doubleValue();
    }

    /** The hold-out the original used: "time" or "random" (also when the manifest predates the field). */
    private static Split.Kind splitKind(Map<String, Object> hyper) {
        Object split = hyper.getOrDefault("split", "random");
        return switch (String.valueOf(split)) {
            case "random" -> Split.Kind.RANDOM;
            case "time" -> Split.Kind.TIME;
            default -> throw new DataException("the manifest's hyper-parameter 'split' is '" + split + "', expected random or time");
        };
    }

    private static int integer(Map<String, Object> hyper, String key) {
        return (int) number(hyper, key);
    }
}
