package com.orderintel.runner;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Datasets;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelUri;
import com.orderintel.snapshot.DatasetSource;
import com.orderintel.training.ModelPackage;
import com.orderintel.training.Provenance;
import com.orderintel.training.TrainedModel;
import com.orderintel.training.anomaly.AnomalyTraining;
import com.orderintel.training.anomaly.IsolationForestTrainer;
import com.orderintel.training.forecast.DemandTraining;
import com.orderintel.training.forecast.DemandTrainer;
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
        ModelManifest original;
        try (var store = RegistryOption.open(uri.location())) {
            original = store.manifest(uri);
        }
        ModelManifest.DatasetRef ref = original.dataset();
        if (ref == null || ref.uri() == null) {
            throw new DataException(modelUri + ": the manifest names no dataset to re-train from");
        }
        Provenance provenance = Provenance.current(version, Clock.systemUTC());
        Map<String, Object> hyper = original.algorithm().hyperParameters() == null ? Map.of() : original.algorithm().hyperParameters();
        TrainedModel<?> retrained = switch (original.task()) {
            case PROMPT -> throw new DataException(modelUri + " is a prompt version: re-evaluate it with 'prompt eval'");
            case ANOMALY -> new AnomalyTraining().train(verified(DatasetSource.orders(ref.uri()), ref), noteInputs(original),
                    IsolationForestTrainer.Options.fromHyperParameters(hyper), provenance).trained();
            case REGRESSION -> new DemandTraining().train(verified(DatasetSource.demand(ref.uri()), ref),
                    DemandTrainer.named(original.algorithm().name()), hyper, DemandTraining.Settings.fromHyperParameters(hyper),
                    TrainingProgress.NONE, provenance).trained();
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

    /** The data must be byte-identical to what the published model was trained on. */
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
}
