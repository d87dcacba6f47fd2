package com.orderintel.advisor.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.prompt.PromptException;
import com.orderintel.prompt.PromptRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.client.RestClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped prompts load from the class path, and a pinned sha256 that no longer matches refuses to start. */
class PromptPinningTest {

    private final LlmConfiguration config = new LlmConfiguration();

    private static LlmProperties defaults() {
        return defaults(Map.of("advisor.llm.provider", "none"));
    }

    private static LlmProperties pinned(String sha256) {
        return defaults(Map.of("advisor.llm.provider", "none", "advisor.llm.prompt-sha256", sha256));
    }

    private static LlmProperties defaults(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("advisor.llm", LlmProperties.class);
    }

    @Test
    void shippedPromptLoadsAndAMismatchedPinIsRefused() throws Exception {
        PromptRegistry registry = config.promptRegistry();
        var template = registry.get("order-note-enrichment", "v2");
        assertThat(template.variables()).containsOnlyKeys("note");
        LlmMetrics metrics = new LlmMetrics(new SimpleMeterRegistry());

        assertThat(config.enrichmentService(pinned(template.sha256()), RestClient.builder(), new ObjectMapper(),
                EmbeddingCache.DISABLED, registry, metrics, CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults(),
                LlmBudget.unpriced(defaults().budget()), "order-note-features@v2")).isNotNull();
        assertThatThrownBy(() -> config.enrichmentService(pinned("0".repeat(64)), RestClient.builder(), new ObjectMapper(),
                EmbeddingCache.DISABLED, registry, metrics, CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults(),
                LlmBudget.unpriced(defaults().budget()), "order-note-features@v2"))
                .isInstanceOf(PromptException.class)
                .hasMessageContaining("order-note-enrichment@v2 refused");
        // the note-features prompt can be pinned the same way, and a malformed setting is named
        var features = registry.get("order-note-features", "v1");
        assertThat(LlmConfiguration.featuresPrompt(registry, "order-note-features@v1#" + features.sha256())).isEqualTo(features);
        assertThatThrownBy(() -> LlmConfiguration.featuresPrompt(registry, "order-note-features@v1#" + "1".repeat(64)))
                .isInstanceOf(PromptException.class).hasMessageContaining("order-note-features@v1 refused");
        assertThatThrownBy(() -> LlmConfiguration.featuresPrompt(registry, "order-note-features"))
                .hasMessageContaining("advisor.llm.features-prompt must be NAME@VERSION[#sha256]");
    }

    @Test
    void defaultsBindAndToStringRedacts() {
        LlmProperties p = new Binder(new MapConfigurationPropertySource(Map.of(
                "advisor.llm.provider", "azure", "advisor.llm.azure.api-key", "az-secret-1",
                "advisor.llm.azure.endpoint", "https://x.openai.azure.com",
                "advisor.llm.azure.chat-deployment", "c", "advisor.llm.azure.embedding-deployment", "e")))
                .bindOrCreate("advisor.llm", LlmProperties.class);
        assertThat(p.providerConfigured()).isTrue();
        assertThat(p.embeddingModelId()).isEqualTo("azure-e");
        assertThat(p.toString()).doesNotContain("az-secret-1").contains("apiKey=******").contains("apiKey=<unset>");
        assertThat(p.cache().enabled()).isFalse();
        assertThat(p.promptVersion()).isEqualTo("v2");
        assertThat(p.budget()).isEqualTo(new LlmProperties.Budget(60, 40000, 5.00, 256));
    }
}
