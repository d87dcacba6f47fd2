package com.orderintel.advisor.llm;

import com.orderintel.testkit.OpenAiLoopback;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.llm.NoteFeatures;
import com.orderintel.llm.OfflineNoteClassifier;
import com.orderintel.llm.TokenPrices;
import com.orderintel.prompt.PromptParser;
import com.orderintel.prompt.PromptTemplate;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Note features from the provider (the OpenAI-wire loopback server, {@link OpenAiLoopback}: no real provider
 * exists here) and the offline fallback when it fails; tokens and estimated cost per provider and model; the circuit
 * breaker's state and calls exported through resilience4j-micrometer.
 */
class NoteFeaturesOpenAiLoopbackTest {

    private static final String NOTE = "The courier left my parcel in the rain, everything is soaked. Terrible.";

    private OpenAiLoopback provider;
    private SimpleMeterRegistry meters;
    private CircuitBreakerRegistry breakers;

    @BeforeEach
    void start() throws Exception {
        provider = new OpenAiLoopback();
        meters = new SimpleMeterRegistry();
        breakers = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private EnrichmentService service() throws Exception {
        LlmProperties props = new LlmProperties(LlmProperties.Provider.OPENAI,
                new LlmProperties.OpenAi(provider.baseUrl(), "sk-loopback-123", "gpt-4o-mini", "text-embedding-3-small"),
                new LlmProperties.Azure(null, null, null, null, "2024-10-21"),
                // generous: a cold first call on a loaded machine must not time out (this test is about answers, not time)
                new LlmProperties.Http(Duration.ofSeconds(10), Duration.ofSeconds(10)),
                new LlmProperties.Resilience(1, Duration.ofMillis(10), 50f, 2, 2, Duration.ofMinutes(5)),
                new LlmProperties.Cache(false, "unused:", Duration.ofMinutes(1), 10), 64,
                "order-note-enrichment", "v2", null, new LlmProperties.Budget(1000, 1_000_000, 100, 256));
        LlmMetrics metrics = new LlmMetrics(meters, TokenPrices.parse("gpt-4o-mini=0.15/0.60"));
        PromptTemplate features;
        try (var in = getClass().getResourceAsStream("/prompts/order-note-features/v2.md")) {
            features = PromptParser.parse("order-note-features", "v2", in.readAllBytes());
        }
        return new EnrichmentService(props, new OpenAiCompatibleClient(props, RestClient.builder(),
                new ProviderResponses(new ObjectMapper()), metrics, LlmBudget.unpriced(props.budget())), EmbeddingCache.DISABLED,
                EnrichmentOpenAiLoopbackTest.prompt(), features, metrics, breakers, RetryRegistry.ofDefaults());
    }

    @Test
    void providerFeaturesCountTokensAndCostThenTheBreakerOpensAndTheOfflineRulesAnswer() throws Exception {
        EnrichmentService service = service();
        // the loopback answers "malformed" chats with this content: here a valid note-features object
        provider.malformedChatContent = "{\"sentiment\": \"negative\", \"category\": \"delivery\"}";
        provider.chat = OpenAiLoopback.Mode.MALFORMED;

        NoteEnrichment e = service.noteFeatures(NOTE);
        assertThat(e.features()).isEqualTo(new NoteFeatures("negative", "delivery"));
        assertThat(e.source()).isEqualTo(Enrichment.Source.PROVIDER);
        assertThat(e.model()).isEqualTo("gpt-4o-mini");
        assertThat(e.prompt().name()).isEqualTo("order-note-features");
        assertThat(provider.requestBodies.getLast()).contains("\"sentiment\\\": \\\"<negative|neutral|positive>\\\"")
                .contains("everything is soaked").contains("\"model\":\"gpt-4o-mini\"");
        // the loopback bills 50 prompt + 20 completion tokens per chat
        assertThat(meters.get("advisor.llm.tokens").tags("provider", "openai", "model", "gpt-4o-mini", "kind", "prompt")
                .counter().count()).isEqualTo(50);
        assertThat(meters.get("advisor.llm.tokens").tags("provider", "openai", "model", "gpt-4o-mini", "kind", "completion")
                .counter().count()).isEqualTo(20);
        assertThat(meters.get("advisor.llm.cost").tags("provider", "openai", "model", "gpt-4o-mini").counter().count())
                .isCloseTo((50 * 0.15 + 20 * 0.60) / 1e6, within(1e-15));

        // an answer outside the vocabulary is malformed: the offline rules answer, deterministically
        provider.malformedChatContent = "{\"sentiment\": \"furious\", \"category\": \"delivery\"}";
        NoteEnrichment fallback = service.noteFeatures(NOTE);
        assertThat(fallback.source()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(fallback.model()).isEqualTo(OfflineNoteClassifier.RULES_VERSION);
        assertThat(fallback.features()).isEqualTo(new OfflineNoteClassifier().classify(NOTE))
                .isEqualTo(new NoteFeatures("negative", "delivery"));
        assertThat(fallback.prompt().version()).isEqualTo("v2");

        // two failures in a window of two: the breaker opens, and its state is a meter
        assertThat(service.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tags("name", EnrichmentService.BREAKER_NAME, "state", "open")
                .gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("resilience4j.circuitbreaker.calls").tags("name", EnrichmentService.BREAKER_NAME, "kind", "failed")
                .timer().count()).isEqualTo(1);
        int chats = provider.calls("chat");
        assertThat(service.noteFeatures(NOTE).source()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(provider.calls("chat")).as("no call while open").isEqualTo(chats);
        assertThat(meters.get("advisor.llm.fallbacks").tags("operation", "note_features", "reason", "circuit_open")
                .counter().count()).isEqualTo(1);
    }
}
