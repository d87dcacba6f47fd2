package com.orderintel.advisor.model;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.llm.NoteFeatureEncoding;
import com.orderintel.prompt.PromptException;
import com.orderintel.prompt.PromptRef;
import com.orderintel.prompt.PromptRegistry;
import com.orderintel.registry.ModelLoader;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.ServableModel;
import com.orderintel.registry.ServingBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads and validates the models named by a set of URIs, all or nothing: each URI's manifest task picks its
 * slot, two URIs for one slot are refused, prompt templates the manifest pins must match, and every failure is counted and logged with the registry's
 * message before it is thrown.
 */
@Component
public class ModelLoading {

    private static final Logger log = LoggerFactory.getLogger(ModelLoading.class);

    private final ModelMetrics metrics;
    private final Clock clock;
    private final PromptRegistry prompts;
    private final ServingBudget budget;

    @Autowired
    public ModelLoading(ModelMetrics metrics, Clock clock, PromptRegistry prompts, ModelProperties properties) {
        this.metrics = metrics;
        this.clock = clock;
        this.prompts = prompts;
        this.budget = properties.servingBudget();
    }

    /** With the serving budget of the environment ({@code MODEL_MAX_SERVING_BYTES} or the default). */
    public ModelLoading(ModelMetrics metrics, Clock clock, PromptRegistry prompts) {
        this.metrics = metrics;
        this.clock = clock;
        this.prompts = prompts;
        this.budget = ServingBudget.fromEnvironment();
    }

    /**
     * @param uris           source (property or request field) to URI
     * @param expectedSlots  for sources that must fill a given slot (e.g. demand-uri), that slot
     */
    public List<LoadedModel<?>> loadAll(Map<String, String> uris, Map<String, ModelSlot<?>> expectedSlots) {
        Map<ModelSlot<?>, LoadedModel<?>> bySlot = new HashMap<>();
        List<LoadedModel<?>> out = new ArrayList<>();
        for (Map.Entry<String, String> e : uris.entrySet()) {
            LoadedModel<?> model = load(e.getKey(), e.getValue(), expectedSlots.get(e.getKey()));
            LoadedModel<?> clash = bySlot.putIfAbsent(model.slot(), model);
            if (clash != null) {
                throw fail(e.getValue(), model.name(), RegistryException.Reason.VALIDATION, "both " + clash.uri() + " and " + e.getValue()
                        + " are " + model.manifest().task() + " models; configure one per slot", null);
            }
            out.add(model);
        }
        return out;
    }

    LoadedModel<?> load(String source, String uri, ModelSlot<?> expected) {
        // the failure metric's model label: only names this service defines (a slot's conventional name), never
        // one taken from the URI, which a caller chooses (label cardinality)
        String modelName = labelFor(uri, expected);
        ServableModel model;
        try {
            model = ModelLoader.load(uri, budget);
        } catch (RegistryException e) {
            throw fail(uri, modelName, e.reason(), "cannot load " + source + "=" + uri + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw fail(uri, modelName, RegistryException.Reason.IO, "cannot load " + source + "=" + uri + ": " + e, e);
        } catch (Error e) {
            throw failedWith(e, uri, modelName, "cannot load " + source + "=" + uri);
        }
        ModelSlot<?> slot;
        try {
            slot = ModelValidator.validate(model);
            modelName = slot.conventionalName();
        } catch (RuntimeException e) {
            throw fail(uri, modelName, RegistryException.Reason.VALIDATION, "model at " + uri + " failed validation: " + e.getMessage(), e);
        } catch (Error e) {
            throw failedWith(e, uri, modelName, "model at " + uri + " failed validation");
        }
        try {
            // A model validated with certain prompt templates (manifest extensions.prompts) must not be served
            // with others: every pinned template must exist here with the same sha256.
            prompts.resolveAll(PromptRef.fromManifest(model.manifest()));
        } catch (PromptException e) {
            throw fail(uri, modelName, RegistryException.Reason.VALIDATION, "model at " + uri + " pins a prompt this service cannot serve: "
                    + e.getMessage(), e);
        }
        if (model instanceof AnomalyDetector a && a.noteFeatures() != null && !a.noteFeatures().computable()) {
            throw fail(uri, modelName, RegistryException.Reason.VALIDATION, "model at " + uri + " needs note features computed by '"
                    + a.noteFeatures().computedBy() + "'; this service version computes them with '"
                    + NoteFeatureEncoding.COMPUTED_BY + "' only and cannot serve it", null);
        }
        if (expected != null && slot != expected) {
            throw fail(uri, modelName, RegistryException.Reason.VALIDATION, source + " must name a " + expected.task() + " model but "
                    + uri + " is a " + slot.task() + " model", null);
        }
        LoadedModel<?> loaded = LoadedModel.of(slot, uri, model, clock.instant());
        log.info("loaded model {} version {} (commit {}) from {} into the {} slot", loaded.name(), loaded.version(),
                loaded.manifest().gitCommit(), uri, slot.label());
        return loaded;
    }

    /**
     * The expected slot's conventional name; else the URI's model name only when it is one of the slots'
     * conventional names; else "other". A reload URI chosen by a caller cannot add label values.
     */
    static String labelFor(String uri, ModelSlot<?> expected) {
        if (expected != null) {
            return expected.conventionalName();
        }
        String name;
        try {
            name = ModelUri.parse(uri).name();
        } catch (RuntimeException e) {
            return "other";
        }
        return ModelSlot.values().stream().map(ModelSlot::conventionalName).filter(name::equals).findFirst().orElse("other");
    }

    /**
     * An {@link Error} while loading one model (the budget makes an OutOfMemoryError unlikely, not impossible: the
     * heap may be full of other things) fails that load like any refusal, so no caller's thread dies of it: the
     * big allocation that failed is garbage again. Out of memory counts as {@code TOO_LARGE}; any other Error
     * (a stack overflow, a linkage error in a codec) as {@code CORRUPT_ARTIFACT}.
     */
    private ModelLoadException failedWith(Error e, String uri, String modelName, String what) {
        RegistryException.Reason reason = e instanceof OutOfMemoryError ? RegistryException.Reason.TOO_LARGE
                : RegistryException.Reason.CORRUPT_ARTIFACT;
        return fail(uri, modelName, reason, what + ": " + e, e);
    }

    private ModelLoadException fail(String uri, String modelName, RegistryException.Reason reason, String message, Throwable cause) {
        metrics.loadFailed(modelName, reason);
        log.warn("model load failed [{}]: {}", reason, ModelUri.redact(message));
        return new ModelLoadException(uri, reason, message, cause);
    }

}
