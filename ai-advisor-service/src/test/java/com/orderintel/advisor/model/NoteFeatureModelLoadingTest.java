package com.orderintel.advisor.model;

import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.llm.NoteFeatureEncoding;
import com.orderintel.prompt.PromptParser;
import com.orderintel.prompt.PromptRegistry;
import com.orderintel.registry.ModelManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model trained with note features (fixture anomaly-notes-v1) loads where the service can compute those features
 * (the offline rules, the pinned prompt present); one whose features were made by anything else is refused by name.
 */
class NoteFeatureModelLoadingTest {

    private static final TrainedModels MODELS = TrainedModels.create();
    private static final Path PKG = TrainedModels.fixture("anomaly-notes-v1");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ModelLoading loading = new ModelLoading(new ModelMetrics(meters, Clock.systemUTC()), Clock.systemUTC(),
            new PromptRegistry(List.of(featuresPrompt())));

    private static com.orderintel.prompt.PromptTemplate featuresPrompt() {
        try (InputStream in = NoteFeatureModelLoadingTest.class.getResourceAsStream("/prompts/order-note-features/v1.md")) {
            return PromptParser.parse("order-note-features", "v1", in.readAllBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aModelWithOfflineNoteFeaturesLoads() {
        ModelManifest m = TrainedModels.manifest(PKG);
        LoadedModel<?> loaded = loading.load("anomaly-uri", MODELS.publish(PKG, m).toString(), ModelSlot.ANOMALY);
        assertThat(loaded.version()).isEqualTo("notes-v1");
        assertThat(((com.orderintel.anomaly.AnomalyDetector) loaded.model()).noteFeatures().names()).hasSize(7);
    }

    @Test
    void aModelWhoseNoteFeaturesThisServiceCannotComputeIsRefused() {
        ModelManifest m = TrainedModels.manifest(PKG);
        Map<String, Object> ext = new LinkedHashMap<>(m.extensions());
        Map<String, Object> nf = new LinkedHashMap<>(NoteFeatureEncoding.parse("sentiment,category").toExtension());
        nf.put("computed_by", "openai:gpt-4o-mini");
        ext.put(NoteFeatureEncoding.EXTENSION_KEY, nf);
        ModelManifest provider = new ModelManifest(m.schemaVersion(), m.name(), "notes-provider", m.task(), m.algorithm(), m.target(),
                m.features(), m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(), m.artifact(), m.libraries(), ext);
        String uri = MODELS.publish(PKG, provider).toString();
        assertThatThrownBy(() -> loading.load("anomaly-uri", uri, ModelSlot.ANOMALY))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("needs note features computed by 'openai:gpt-4o-mini'")
                .hasMessageContaining("computes them with 'offline-rules-v1' only and cannot serve it");
        assertThat(meters.get("advisor.model.load.failures").tag("reason", "VALIDATION").counter().count()).isEqualTo(1.0);
    }
}
