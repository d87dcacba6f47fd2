package com.orderintel.advisor.model;

import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.prompt.PromptParser;
import com.orderintel.prompt.PromptRef;
import com.orderintel.prompt.PromptRegistry;
import com.orderintel.prompt.PromptTemplate;
import com.orderintel.registry.ModelManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model whose manifest pins prompt templates ({@code extensions.prompts}) loads only where those exact
 * templates exist: a template edited since (other sha256) or missing refuses the model with a message naming it.
 */
class PromptPinnedModelLoadingTest {

    private static final TrainedModels MODELS = TrainedModels.create();
    private static final PromptTemplate NOTE = PromptParser.parse("order-note", "v1", """
            ---
            description: summarise an order note
            variables:
              note: string
            ---
            Summarise: {{note}}
            """.getBytes(StandardCharsets.UTF_8));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ModelLoading loading = new ModelLoading(new ModelMetrics(meters, Clock.systemUTC()),
            Clock.systemUTC(), new PromptRegistry(List.of(NOTE)));

    /** The test anomaly model re-published as {@code version} with the given prompt pins. */
    private static String publishPinning(String version, PromptRef... refs) {
        ModelManifest m = MODELS.anomalyManifest;
        ModelManifest pinned = new ModelManifest(m.schemaVersion(), m.name(), version, m.task(), m.algorithm(), m.target(),
                m.features(), m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(), m.artifact(), m.libraries(),
                Map.of(PromptRef.EXTENSION_KEY, java.util.Arrays.stream(refs).map(PromptRef::toExtension).toList()));
        return MODELS.store.publish(pinned, TrainedModels.fixture("anomaly-v1").resolve(m.artifact().file())).toString();
    }

    @Test
    void aModelPinningTheTemplateItWasValidatedWithLoads() {
        String uri = publishPinning("v-prompt-ok", new PromptRef("order-note", "v1", NOTE.sha256()));
        LoadedModel<?> loaded = loading.load("anomaly-uri", uri, ModelSlot.ANOMALY);
        assertThat(loaded.version()).isEqualTo("v-prompt-ok");
    }

    @Test
    void aTemplateChangedSinceIsRefusedByName() {
        String uri = publishPinning("v-prompt-stale", new PromptRef("order-note", "v1", "0".repeat(64)));
        assertThatThrownBy(() -> loading.load("anomaly-uri", uri, ModelSlot.ANOMALY))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("pins a prompt").hasMessageContaining("order-note@v1")
                .hasMessageContaining("does not match");
        assertThat(meters.get("advisor.model.load.failures").tag("reason", "VALIDATION").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aTemplateThisServiceDoesNotHaveIsRefused() {
        String uri = publishPinning("v-prompt-missing", new PromptRef("refund-reason", "v3", NOTE.sha256()));
        assertThatThrownBy(() -> loading.load("anomaly-uri", uri, ModelSlot.ANOMALY))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("refund-reason@v3").hasMessageContaining("not found");
    }
}
