package com.orderintel.prompteval;

import com.orderintel.prompt.PromptRef;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.RegistryException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A prompt version as a registry entry: the template file is the artifact (its sha256 is the one model manifests
 * pin), the evaluation figures are the manifest's metrics, the golden set is its dataset. The registry version is
 * {@code <prompt version>-<provider>[-<model>]} because the figures belong to a prompt AND the model that answered
 * it; entries are immutable like every published version, so re-evaluating means a new entry.
 */
public final class PromptRelease {

    public static final String FORMAT = "prompt-template/v1";

    private PromptRelease() {
    }

    /** {@code v1-offline}, {@code v2-openai-gpt-4o-mini}: what {@code prompt eval} publishes under by default. */
    public static String registryVersion(String promptVersion, PromptEvaluation e) {
        String v = promptVersion + "-" + e.provider() + ("offline".equals(e.provider()) ? "" : "-" + e.model());
        v = v.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return v.length() > 128 ? v.substring(0, 128) : v;
    }

    public static ModelManifest manifest(PromptSource prompt, String registryVersion, PromptEvaluation e,
                                         GoldenSet golden, String baseUrl, String gitCommit, Instant now) {
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("provider", e.provider());
        hyper.put("model", e.model());
        if (baseUrl != null) {
            hyper.put("base_url", baseUrl);
        }
        hyper.put("temperature", 0);
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("provider", e.provider());
        evaluation.put("model", e.model());
        evaluation.put("golden_set", golden.uri());
        evaluation.put("misses", e.misses().stream().map(m -> Map.of("id", m.id(), "expected", m.expected(),
                "got", m.got())).toList());
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put(PromptRef.EXTENSION_KEY, List.of(prompt.template().ref().toExtension()));
        extensions.put("evaluation", evaluation);
        List<ModelManifest.FeatureSpec> variables = prompt.template().variables().keySet().stream().sorted()
                .map(v -> new ModelManifest.FeatureSpec(v, ModelManifest.FeatureType.TEXT, null, null, null, null, null))
                .toList();
        return new ModelManifest(ModelManifest.SCHEMA_VERSION, prompt.template().name(), registryVersion,
                ModelManifest.Task.PROMPT, new ModelManifest.AlgorithmSpec("llm-chat", hyper), "sentiment,category",
                variables, e.metrics(), new ModelManifest.DatasetRef(golden.uri(), golden.sha256(), golden.examples().size()),
                gitCommit, now.truncatedTo(ChronoUnit.SECONDS),
                new ModelManifest.ArtifactRef(prompt.file(), FORMAT, prompt.template().sha256(), prompt.content().length),
                Map.of("java", Runtime.version().toString()), extensions);
    }

    /** Publishes; an existing entry with other figures is refused with what to do instead. */
    public static ModelUri publish(ModelStore store, ModelManifest manifest, PromptSource prompt) {
        ModelUri uri = new ModelUri(store.location(), manifest.name(), manifest.version(), null);
        ModelManifest existing = null;
        try {
            existing = store.manifest(uri);
        } catch (RegistryException e) {
            if (e.reason() != RegistryException.Reason.NOT_FOUND) {
                throw e;
            }
        }
        // the store treats the same artifact as a re-publish; for a prompt the figures are what matter
        if (existing != null) {
            throw new RegistryException(RegistryException.Reason.CONFLICT, "prompt " + manifest.name() + " "
                    + manifest.version() + " is already evaluated in registry " + store.location() + " (label_accuracy "
                    + (existing.metrics() == null ? null : existing.metrics().get(PromptEvaluation.LABEL_ACCURACY)) + "); evaluations are immutable: publish "
                    + "this one under another --registry-version");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("prompt-", "-" + prompt.file());
            Files.write(tmp, prompt.content());
            return store.publish(manifest, tmp);
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.CONFLICT) {
                throw new RegistryException(RegistryException.Reason.CONFLICT, "prompt " + manifest.name() + " "
                        + manifest.version() + " is already in registry " + store.location() + " with other figures; "
                        + "evaluations are immutable: publish this one under another --registry-version");
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** The gate's verdict on a registry entry: refuses anything but a prompt version, and figures below thresholds. */
    public static List<String> gateFailures(ModelManifest m, PromptGate gate) {
        if (m.task() != ModelManifest.Task.PROMPT) {
            return List.of(m.name() + " " + m.version() + " is a " + m.task() + " model, not a prompt version");
        }
        return gate.failures(m.metrics());
    }
}
