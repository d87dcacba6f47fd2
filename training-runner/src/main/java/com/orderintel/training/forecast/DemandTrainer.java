package com.orderintel.training.forecast;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.registry.ModelManifest;
import com.orderintel.training.TrainingProgress;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A demand algorithm, looked up by the name a manifest records ({@code algorithm.name}, the {@code --algorithm}
 * choice), separate from the model it fits (as Tribuo separates trainers from models): its options are the
 * manifest's hyper-parameters, so {@code train} (from flags) and {@code retrain} (from a manifest) run the same code.
 */
public interface DemandTrainer {

    /** The trainers of this release, by name. */
    Map<String, DemandTrainer> ALL = Map.of(OlsDemandTrainer.NAME, new OlsDemandTrainer(),
            XgbDemandTrainer.NAME, new XgbDemandTrainer());

    /** The trainer of an algorithm name; an unknown name is bad input naming the ones there are. */
    static DemandTrainer named(String name) {
        DemandTrainer t = ALL.get(name);
        if (t == null) {
            throw new DataException("unknown demand algorithm '" + name + "' (this release trains "
                    + new java.util.TreeSet<>(ALL.keySet()) + ")");
        }
        return t;
    }

    /** The tuning flags of {@code train demand}; null where the user set none (the trainer's default then). */
    record Flags(Integer trees, Integer maxDepth, Double shrinkage) {
        public static final Flags DEFAULTS = new Flags(null, null, null);
    }

    String name();

    /** A run's hyper-parameters from the command's flags, defaults filled in, as the manifest records them. */
    Map<String, Object> hyperParameters(Flags flags);

    /** Fits the training rows with a manifest's hyper-parameters (keys it does not know are ignored) and seed. */
    DemandFit fit(List<DemandRow> train, Map<String, Object> hyper, long seed, TrainingProgress progress);

    /** Loads what the fit will need (e.g. a native library) in the background, while the data is read. */
    default void prepare() {
    }

    /**
     * What a fit contributes to the model package: the artifact (format, file name, bytes), the feature profiles of
     * its training matrix (possibly still being computed) and the serving model built around a manifest.
     */
    record DemandFit(String format, String file, byte[] artifact, CompletableFuture<List<ModelManifest.FeatureSpec>> profiles,
                     Function<ModelManifest, ? extends DemandForecaster> model) { }
}
