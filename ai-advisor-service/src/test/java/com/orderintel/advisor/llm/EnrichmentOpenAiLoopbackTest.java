package com.orderintel.advisor.llm;

import com.orderintel.testkit.OpenAiLoopback;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.prompt.PromptParser;
import com.orderintel.prompt.PromptTemplate;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@link EnrichmentService} against {@link OpenAiLoopback} (OpenAI chat/embeddings wire format on loopback). */
class EnrichmentOpenAiLoopbackTest {

    private static final String NOTE = "Please leave the parcel at the side door. Thanks!";

    private OpenAiLoopback provider;
    private SimpleMeterRegistry meters;

    @BeforeEach
    void start() throws Exception {
        provider = new OpenAiLoopback();
        meters = new SimpleMeterRegistry();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    static PromptTemplate prompt() throws Exception {
        try (var in = EnrichmentOpenAiLoopbackTest.class.getResourceAsStream("/prompts/order-note-enrichment/v1.md")) {
            return PromptParser.parse("order-note-enrichment", "v1", in.readAllBytes());
        }
    }

    private EnrichmentService service(LlmProperties.Provider which, int maxAttempts, int window) throws Exception {
        LlmProperties props = new LlmProperties(which,
                new LlmProperties.OpenAi(provider.baseUrl(), "sk-loopback-123", "gpt-4o-mini", "text-embedding-3-small"),
                new LlmProperties.Azure(provider.root() + "/", "az-loopback-456", "chat-dep", "emb-dep", "2024-10-21"),
                new LlmProperties.Http(Duration.ofMillis(1000), Duration.ofMillis(1000)),
                new LlmProperties.Resilience(maxAttempts, Duration.ofMillis(10), 50f, window, window, Duration.ofMinutes(5)),
                new LlmProperties.Cache(false, "unused:", Duration.ofMinutes(1), 10), 64,
                "order-note-enrichment", "v1", null, new LlmProperties.Budget(1000, 1_000_000, 100, 256));
        ObjectMapper json = new ObjectMapper();
        return new EnrichmentService(props, new OpenAiCompatibleClient(props, RestClient.builder(),
                new ProviderResponses(json)), EmbeddingCache.DISABLED, prompt(), new LlmMetrics(meters));
    }

    private double fallbacks(String operation, String reason) {
        var c = meters.find("advisor.llm.fallbacks").tag("operation", operation).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private double providerCalls(String operation, String outcome) {
        var c = meters.find("advisor.llm.provider.calls").tag("operation", operation).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void providerAnswersAreParsedAndTheRenderedPromptIsSent() throws Exception {
        Enrichment e = service(LlmProperties.Provider.OPENAI, 3, 10).enrich(NOTE);

        assertThat(e.source()).isEqualTo(Enrichment.Source.PROVIDER);
        assertThat(e.embedding()).containsExactly(OpenAiLoopback.vectorFor(NOTE));
        assertThat(e.embeddingModel()).isEqualTo("text-embedding-3-small");
        assertThat(e.summary()).isEqualTo("Customer wants the parcel left at the side door.");
        assertThat(e.category()).isEqualTo("delivery");
        assertThat(e.summarySource()).isEqualTo(Enrichment.Source.PROVIDER);
        assertThat(e.fallbacks()).isEmpty();
        assertThat(provider.authorizations).containsOnly("Bearer sk-loopback-123");
        String chatRequest = provider.requestBodies.stream().filter(b -> b.contains("\"messages\"")).findFirst().orElseThrow();
        assertThat(chatRequest).contains("\"model\":\"gpt-4o-mini\"")
                .contains("Order note:\\n\\\"\\\"\\\"\\n" + NOTE + "\\n\\\"\\\"\\\"");
        assertThat(providerCalls("embeddings", "success")).isEqualTo(1);
        assertThat(providerCalls("chat", "success")).isEqualTo(1);
    }

    @Test
    void azureDeploymentsAreCalledWithApiKeyHeaderAndApiVersion() throws Exception {
        Enrichment e = service(LlmProperties.Provider.AZURE, 3, 10).enrich(NOTE);

        assertThat(e.source()).isEqualTo(Enrichment.Source.PROVIDER);
        assertThat(e.embeddingModel()).isEqualTo("azure-emb-dep");
        assertThat(e.category()).isEqualTo("delivery");
        assertThat(provider.azureRequests).containsExactly(
                "/openai/deployments/emb-dep/embeddings?api-version=2024-10-21 api-key=az-loopback-456",
                "/openai/deployments/chat-dep/chat/completions?api-version=2024-10-21 api-key=az-loopback-456");
        assertThat(provider.requestBodies).noneMatch(b -> b.contains("\"model\""));   // Azure: the deployment is the model
    }

    @Test
    void providerTimeoutIsRetriedThenFallsBackAndIsCounted() throws Exception {
        provider.embeddings = OpenAiLoopback.Mode.SLOW;
        Enrichment e = service(LlmProperties.Provider.OPENAI, 2, 10).enrich(NOTE);

        assertThat(e.source()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(e.embeddingModel()).isEqualTo("local-hash-64");
        assertThat(e.embedding()).containsExactly(new HashingEmbedder(64).embed(NOTE));
        assertThat(e.fallbacks()).containsEntry("embeddings", "timeout: embeddings: provider timed out");
        assertThat(providerCalls("embeddings", "timeout")).isEqualTo(2);   // both attempts
        assertThat(fallbacks("embeddings", "timeout")).isEqualTo(1);
        assertThat(e.summarySource()).isEqualTo(Enrichment.Source.PROVIDER);   // chat endpoint was healthy
    }

    @Test
    void malformedResponsesGiveClearErrorsAndFallbackWithoutRetry() throws Exception {
        provider.embeddings = OpenAiLoopback.Mode.MALFORMED;
        provider.chat = OpenAiLoopback.Mode.MALFORMED;
        Enrichment e = service(LlmProperties.Provider.OPENAI, 3, 10).enrich(NOTE);

        assertThat(e.source()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(e.fallbacks().get("embeddings")).isEqualTo(
                "malformed: malformed provider response: embeddings: 'data[0].embedding[0]' is not a finite number: \"x\"");
        assertThat(e.fallbacks().get("chat")).startsWith(
                "malformed: malformed provider response: chat content: response is not valid JSON");
        assertThat(e.summarySource()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(e.category()).isEqualTo("delivery");                       // rule-based: "parcel", "door"
        assertThat(e.summary()).isEqualTo("Please leave the parcel at the side door.");
        assertThat(provider.calls("embeddings")).isEqualTo(1);   // not retried
        assertThat(fallbacks("embeddings", "malformed")).isEqualTo(1);
        assertThat(fallbacks("chat", "malformed")).isEqualTo(1);
    }

    @Test
    void circuitOpensAfterRepeatedFailuresAndStopsCallingTheProvider() throws Exception {
        provider.embeddings = OpenAiLoopback.Mode.ERROR_500;
        provider.chat = OpenAiLoopback.Mode.ERROR_500;
        EnrichmentService service = service(LlmProperties.Provider.OPENAI, 1, 4);

        service.enrich("first note");
        service.enrich("second note");                  // 4 failed calls (2 embeddings + 2 chat): window full
        assertThat(service.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        int callsWhenOpened = provider.calls("embeddings") + provider.calls("chat");

        Enrichment e = service.enrich("third note");
        assertThat(e.source()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(e.fallbacks()).containsEntry("embeddings",
                "circuit_open: circuit breaker open after repeated provider failures");
        assertThat(provider.calls("embeddings") + provider.calls("chat")).isEqualTo(callsWhenOpened);
        assertThat(fallbacks("embeddings", "error")).isEqualTo(2);
        assertThat(fallbacks("embeddings", "circuit_open")).isEqualTo(1);
        assertThat(fallbacks("chat", "circuit_open")).isEqualTo(1);
    }

    @Test
    void withoutProviderTheDeterministicFallbackAnswersOffline() throws Exception {
        EnrichmentService service = service(LlmProperties.Provider.NONE, 3, 10);
        Enrichment a = service.enrich(NOTE);
        Enrichment b = service.enrich(NOTE);
        Enrichment other = service.enrich("My card was charged twice for order 1234.");

        assertThat(provider.calls("embeddings") + provider.calls("chat")).isZero();
        assertThat(a.source()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(a.dimensions()).isEqualTo(64);
        assertThat(a.embedding()).containsExactly(b.embedding());
        double norm = 0;
        double dot = 0;
        for (int i = 0; i < 64; i++) {
            norm += a.embedding()[i] * a.embedding()[i];
            dot += a.embedding()[i] * other.embedding()[i];
        }
        assertThat(norm).isCloseTo(1.0, within(1e-5));
        assertThat(dot).isLessThan(0.9);
        assertThat(other.category()).isEqualTo("payment");
        assertThat(fallbacks("embeddings", "not_configured")).isEqualTo(3);
        assertThat(a.fallbacks()).containsEntry("chat", "not_configured: no LLM provider configured");
    }

    @Test
    void shippedPromptRendersAsValidated() throws Exception {
        PromptTemplate t = prompt();
        assertThat(t.sha256()).isEqualTo(PromptParser.sha256(
                getClass().getResourceAsStream("/prompts/order-note-enrichment/v1.md").readAllBytes()));
        String rendered = t.render(java.util.Map.of("note", "Ring twice."));
        assertThat(rendered).startsWith("You assist the operations team")
                .contains("{\"summary\": \"<one sentence, at most 25 words>\"")
                .endsWith("Order note:\n\"\"\"\nRing twice.\n\"\"\"\n");
        assertThat(rendered.getBytes(StandardCharsets.UTF_8).length).isLessThan(1000);
    }
}
