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
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The attack suite: LLM spend. Every provider call draws on one {@link LlmBudget}; the provider is
 * {@link OpenAiLoopback} (OpenAI wire format on loopback: no real provider exists here), which counts the calls
 * it received. The clock stands still unless a test moves it, so the buckets refill only when told.
 */
@Tag("attack")
class LlmBudgetAttackTest {

    private static final String NOTE = "The courier left my parcel in the rain, everything is soaked. Terrible.";
    /** Answers both prompts: note features (sentiment, category) and enrichment (summary, category). */
    private static final String FEATURES = "{\"summary\": \"Parcel soaked by rain.\", \"sentiment\": \"negative\", "
            + "\"category\": \"delivery\"}";

    private OpenAiLoopback provider;
    private SimpleMeterRegistry meters;
    private MutableClock clock;
    private EnrichmentService service;

    @BeforeEach
    void start() throws Exception {
        provider = new OpenAiLoopback();
        provider.chatContent = FEATURES;
        meters = new SimpleMeterRegistry();
        clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private EnrichmentService service(LlmProperties.Budget budget) throws Exception {
        LlmProperties props = new LlmProperties(LlmProperties.Provider.OPENAI,
                new LlmProperties.OpenAi(provider.baseUrl(), "sk-loopback-123", "gpt-4o-mini", "text-embedding-3-small"),
                new LlmProperties.Azure(null, null, null, null, "2024-10-21"),
                new LlmProperties.Http(Duration.ofSeconds(10), Duration.ofSeconds(10)),
                new LlmProperties.Resilience(3, Duration.ofMillis(10), 50f, 10, 5, Duration.ofMinutes(5)),
                new LlmProperties.Cache(false, "unused:", Duration.ofMinutes(1), 10), 64,
                "order-note-enrichment", "v2", null, budget);
        TokenPrices prices = TokenPrices.parse("gpt-4o-mini=0.15/0.60,text-embedding-3-small=0.02/0");
        LlmMetrics metrics = new LlmMetrics(meters, prices);
        LlmBudget llmBudget = new LlmBudget(budget, prices, meters, clock);
        PromptTemplate features;
        PromptTemplate enrichment;
        try (var f = getClass().getResourceAsStream("/prompts/order-note-features/v2.md");
             var e = getClass().getResourceAsStream("/prompts/order-note-enrichment/v2.md")) {
            features = PromptParser.parse("order-note-features", "v2", f.readAllBytes());
            enrichment = PromptParser.parse("order-note-enrichment", "v2", e.readAllBytes());
        }
        return new EnrichmentService(props, new OpenAiCompatibleClient(props, RestClient.builder(),
                new ProviderResponses(new ObjectMapper()), metrics, llmBudget), EmbeddingCache.DISABLED, enrichment,
                features, metrics, CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults());
    }

    private double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    @Test
    void threeHundredNotesInOneBurstMakeAtMostTheMinutesRequestsAndTheOfflineRulesAnswerTheRest() throws Exception {
        service = service(new LlmProperties.Budget(20, 1_000_000, 100, 256));
        int fromProvider = 0;
        for (int i = 0; i < 300; i++) {
            NoteEnrichment e = service.noteFeatures(NOTE + " #" + i);
            if (e.source() == Enrichment.Source.PROVIDER) {
                fromProvider++;
                assertThat(e.features()).isEqualTo(new NoteFeatures("negative", "delivery"));
            } else {
                assertThat(e.model()).isEqualTo(OfflineNoteClassifier.RULES_VERSION);
                assertThat(e.features()).isEqualTo(new OfflineNoteClassifier().classify(NOTE + " #" + i));
            }
        }
        assertThat(provider.calls("chat")).as("provider calls").isEqualTo(20);
        assertThat(fromProvider).isEqualTo(20);
        assertThat(counter("advisor.llm.fallbacks", "operation", "note_features", "reason", "budget")).isEqualTo(280);
        assertThat(counter("advisor.llm.budget.refused", "operation", "chat", "limit", "requests_per_minute")).isEqualTo(280);
        assertThat(counter("advisor.llm.provider.calls", "operation", "note_features", "outcome", "success")).isEqualTo(20);
        assertThat(meters.find("advisor.llm.provider.calls").tag("outcome", "budget").counter()).as("no call, no count").isNull();
        assertThat(gauge("advisor.llm.budget.remaining", "limit", "requests_per_minute")).isZero();
        assertThat(gauge("advisor.llm.budget.spent.today", "kind", "requests")).isEqualTo(20);
        // reported usage replaced the estimates: 20 calls x (50 + 20) tokens
        assertThat(gauge("advisor.llm.budget.spent.today", "kind", "tokens")).isEqualTo(20 * 70);
        assertThat(service.circuitState()).as("refusals say nothing about the provider").isEqualTo(CircuitBreaker.State.CLOSED);

        // the bucket refills smoothly: half a minute later, half the minute's requests
        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 50; i++) {
            service.noteFeatures(NOTE);
        }
        assertThat(provider.calls("chat")).isEqualTo(30);
    }

    @Test
    void tokensPerMinuteCountTheEstimateBeforeAndTheReportedUsageAfterEachCall() throws Exception {
        long tokensPerMinute = 3_000;
        service = service(new LlmProperties.Budget(1_000, tokensPerMinute, 100, 256));
        for (int i = 0; i < 100; i++) {
            service.noteFeatures(NOTE);
        }
        // each call takes its estimate (request body / 3 + max_tokens 256) and gives back all but the 70 reported
        String body = provider.requestBodies.getFirst();
        assertThat(body).contains("\"max_tokens\":256");
        long estimate = LlmBudget.estimatePromptTokens(body) + 256;
        long expected = (tokensPerMinute - estimate) / 70 + 1;
        assertThat(provider.calls("chat")).isEqualTo((int) expected).isLessThan(100);
        assertThat(counter("advisor.llm.budget.refused", "operation", "chat", "limit", "tokens_per_minute"))
                .isEqualTo(100 - expected);
        assertThat(counter("advisor.llm.fallbacks", "operation", "note_features", "reason", "budget")).isEqualTo(100 - expected);
        System.out.printf("attack suite: tokens per minute %d, estimate %d per call, 70 reported -> %d of 100 calls%n",
                tokensPerMinute, estimate, expected);
    }

    @Test
    void theDailyCostCapSendsEveryCallOfflineUntilTheNextUtcDay() throws Exception {
        double cap = 0.001;
        service = service(new LlmProperties.Budget(1_000, 1_000_000, cap, 256));
        for (int i = 0; i < 200; i++) {
            service.noteFeatures(NOTE);
        }
        int calls = provider.calls("chat");
        double perCall = (50 * 0.15 + 20 * 0.60) / 1e6; // the loopback reports 50 + 20 tokens of gpt-4o-mini
        assertThat(calls).isBetween(1, 199);
        double spent = gauge("advisor.llm.budget.spent.today", "kind", "cost_usd");
        assertThat(spent).isCloseTo(calls * perCall, within(1e-12)).isLessThanOrEqualTo(cap);
        assertThat(meters.get("advisor.llm.cost").tags("provider", "openai", "model", "gpt-4o-mini").counter().count())
                .isCloseTo(spent, within(1e-12));
        assertThat(counter("advisor.llm.budget.refused", "operation", "chat", "limit", "daily_cost_usd")).isEqualTo(200 - calls);
        assertThat(gauge("advisor.llm.budget.remaining", "limit", "daily_cost_usd")).isCloseTo(cap - spent, within(1e-12));
        // every caller draws on the same budget: /enrich's shorter prompt still fits a few times, then it is refused too
        Enrichment refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            Enrichment e = service.enrich(NOTE);
            refused = e.fallbacks().getOrDefault("chat", "").startsWith("budget:") ? e : null;
        }
        assertThat(refused).isNotNull();
        assertThat(refused.summarySource()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(refused.fallbacks().get("chat")).startsWith("budget: chat: today's LLM cost cap of 0.0010 USD is reached");
        int spentCalls = provider.calls("chat");
        System.out.printf("attack suite: daily cap %.4f USD -> %d of 200 note calls, %.7f USD spent%n", cap, calls, spent);
        assertThat(service.noteFeatures(NOTE).source()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(provider.calls("chat")).isEqualTo(spentCalls);
        assertThat(gauge("advisor.llm.budget.spent.today", "kind", "cost_usd")).isLessThanOrEqualTo(cap);

        // a minute later the per-minute buckets are full, but the day's cap still holds
        clock.advance(Duration.ofMinutes(1));
        assertThat(service.noteFeatures(NOTE).source()).isEqualTo(Enrichment.Source.FALLBACK);
        // the next UTC day starts a new ledger
        clock.set(Instant.parse("2026-12-08T00:00:01Z"));
        assertThat(service.noteFeatures(NOTE).source()).isEqualTo(Enrichment.Source.PROVIDER);
        assertThat(gauge("advisor.llm.budget.spent.today", "kind", "cost_usd")).isCloseTo(perCall, within(1e-12));
    }

    @Test
    void enrichDrawsOnTheSameBudgetForEmbeddingsAndChat() throws Exception {
        service = service(new LlmProperties.Budget(3, 1_000_000, 100, 256));
        Enrichment first = service.enrich(NOTE);          // embeddings + chat: 2 of 3
        assertThat(first.source()).isEqualTo(Enrichment.Source.PROVIDER);
        assertThat(first.summarySource()).isEqualTo(Enrichment.Source.PROVIDER);
        Enrichment second = service.enrich(NOTE + "!");   // embeddings: 3 of 3, chat refused
        assertThat(second.source()).isEqualTo(Enrichment.Source.PROVIDER);
        assertThat(second.summarySource()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(second.fallbacks()).containsOnlyKeys("chat");
        assertThat(service.noteFeatures(NOTE).source()).isEqualTo(Enrichment.Source.FALLBACK);
        assertThat(provider.calls("embeddings") + provider.calls("chat")).isEqualTo(3);
        assertThat(counter("advisor.llm.budget.refused", "operation", "chat", "limit", "requests_per_minute")).isEqualTo(2);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
