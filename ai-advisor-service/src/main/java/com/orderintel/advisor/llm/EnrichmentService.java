package com.orderintel.advisor.llm;

import com.orderintel.llm.NoteFeatures;
import com.orderintel.llm.OfflineNoteClassifier;
import com.orderintel.prompt.PromptTemplate;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Java API for LLM features: {@link #enrich(String)} returns an embedding plus a summary/category for an order
 * note. Provider calls go through a retry (transient failures only) inside a circuit breaker shared by chat and
 * embeddings, and each attempt draws on the one {@link LlmBudget}; whatever fails or is over budget, the deterministic
 * local fallback answers, so callers never see a provider error. The note goes to the provider only as data (the
 * prompt's {@code data} variable: a JSON string in its own user message), never spliced into the instructions.
 */
public class EnrichmentService {

    private static final Logger log = LoggerFactory.getLogger(EnrichmentService.class);
    public static final int MAX_TEXT_CHARS = 8000;
    /** The one circuit breaker (and retry) around the provider; its meters are tagged {@code name="llm-provider"}. */
    public static final String BREAKER_NAME = "llm-provider";

    private final LlmProperties props;
    private final OpenAiCompatibleClient client;
    private final EmbeddingCache cache;
    private final PromptTemplate prompt;
    private final PromptTemplate featuresPrompt;
    private final OfflineNoteClassifier offline = new OfflineNoteClassifier();
    private final LlmMetrics metrics;
    private final HashingEmbedder hashing;
    private final RuleBasedSummarizer rules = new RuleBasedSummarizer();
    private final CircuitBreaker breaker;
    private final Retry retry;

    public EnrichmentService(LlmProperties props, OpenAiCompatibleClient client, EmbeddingCache cache,
                             PromptTemplate prompt, LlmMetrics metrics) {
        this(props, client, cache, prompt, null, metrics, CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults());
    }

    /**
     * @param featuresPrompt the {@code order-note-features} template for {@link #noteFeatures(String)} (null: the
     *                       offline rules always answer)
     * @param breakers       where the provider's circuit breaker is created (its meters are bound to that registry)
     */
    public EnrichmentService(LlmProperties props, OpenAiCompatibleClient client, EmbeddingCache cache,
                             PromptTemplate prompt, PromptTemplate featuresPrompt, LlmMetrics metrics,
                             CircuitBreakerRegistry breakers, RetryRegistry retries) {
        this.props = props;
        this.client = client;
        this.cache = cache;
        this.prompt = prompt;
        this.featuresPrompt = featuresPrompt;
        this.metrics = metrics;
        this.hashing = new HashingEmbedder(props.fallbackDimensions());
        LlmProperties.Resilience r = props.resilience();
        this.breaker = breakers.circuitBreaker(BREAKER_NAME, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(r.slidingWindowSize())
                .minimumNumberOfCalls(r.minimumNumberOfCalls())
                .failureRateThreshold(r.failureRateThreshold())
                .waitDurationInOpenState(r.openDuration())
                // a call the budget refused never reached the provider: it says nothing about the provider's health
                .ignoreException(e -> e instanceof ProviderException p && p.reason() == FallbackReason.BUDGET)
                .build());
        this.retry = retries.retry(BREAKER_NAME, RetryConfig.custom()
                .maxAttempts(r.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(r.retryBackoff(), 2.0))
                .retryOnException(e -> e instanceof ProviderException p && p.retryable())
                .build());
    }

    public Enrichment enrich(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("text has " + text.length() + " characters, at most "
                    + MAX_TEXT_CHARS + " allowed");
        }
        Map<String, String> fallbacks = new LinkedHashMap<>();

        float[] vector = null;
        String model = props.embeddingModelId();
        Enrichment.Source source = Enrichment.Source.PROVIDER;
        if (props.providerConfigured()) {
            Optional<float[]> cached = cache.get(model, text);
            if (cached.isPresent()) {
                vector = cached.get();
                source = Enrichment.Source.CACHE;
            } else {
                vector = call("embeddings", () -> client.embed(text), fallbacks);
                if (vector != null) {
                    cache.put(model, text, vector);
                }
            }
        } else {
            fallback("embeddings", FallbackReason.NOT_CONFIGURED, "no LLM provider configured", fallbacks);
        }
        if (vector == null) {
            vector = hashing.embed(text);
            model = "local-hash-" + hashing.dimensions();
            source = Enrichment.Source.FALLBACK;
        }

        RuleBasedSummarizer.Summary summary = null;
        if (props.providerConfigured()) {
            var messages = prompt.messages(Map.of("note", text));
            summary = call("chat", () -> client.summarize(messages), fallbacks);
        } else {
            fallback("chat", FallbackReason.NOT_CONFIGURED, "no LLM provider configured", fallbacks);
        }
        Enrichment.Source summarySource = Enrichment.Source.PROVIDER;
        if (summary == null) {
            summary = rules.summarize(text);
            summarySource = Enrichment.Source.FALLBACK;
        }
        return new Enrichment(vector, vector.length, model, source, summary.summary(), summary.category(),
                summarySource, Map.copyOf(fallbacks));
    }

    /**
     * Sentiment and category of an order note as model features: the provider answers the pinned
     * {@code order-note-features} prompt when one is configured, else (or when it fails) the deterministic offline
     * rules do, so the same note always gets the same features offline. Never throws for provider trouble.
     */
    public NoteEnrichment noteFeatures(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("note must be non-blank and at most " + MAX_TEXT_CHARS + " characters");
        }
        if (featuresPrompt != null && props.providerConfigured()) {
            var messages = featuresPrompt.messages(Map.of("note", text));
            NoteFeatures f = call("note_features", () -> client.classify(messages), new LinkedHashMap<>());
            if (f != null) {
                return new NoteEnrichment(f, Enrichment.Source.PROVIDER, featuresPrompt.ref(), client.modelName("chat"));
            }
        } else {
            metrics.fallback("note_features", FallbackReason.NOT_CONFIGURED);
        }
        return new NoteEnrichment(offline.classify(text), Enrichment.Source.FALLBACK,
                featuresPrompt == null ? null : featuresPrompt.ref(), OfflineNoteClassifier.RULES_VERSION);
    }

    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    /** The provider's answer, or null after recording why the fallback must answer. */
    private <T> T call(String operation, Supplier<T> call, Map<String, String> fallbacks) {
        Supplier<T> counted = () -> {
            try {
                T result = call.get();
                metrics.providerCall(operation, "success");
                return result;
            } catch (ProviderException e) {
                if (e.reason() != FallbackReason.BUDGET) { // refused by the budget: no call was made
                    metrics.providerCall(operation, e.reason().tag());
                }
                throw e;
            }
        };
        try {
            return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, counted)).get();
        } catch (CallNotPermittedException e) {
            fallback(operation, FallbackReason.CIRCUIT_OPEN, "circuit breaker open after repeated provider failures",
                    fallbacks);
        } catch (ProviderException e) {
            fallback(operation, e.reason(), e.getMessage(), fallbacks);
        }
        return null;
    }

    private void fallback(String operation, FallbackReason reason, String message, Map<String, String> fallbacks) {
        metrics.fallback(operation, reason);
        fallbacks.put(operation, reason.tag() + ": " + message);
        // not configured: the normal offline mode; budget: LlmBudget logs when it starts and stops refusing
        if (reason != FallbackReason.NOT_CONFIGURED && reason != FallbackReason.BUDGET) {
            log.warn("LLM {} fell back to the local model ({}): {}", operation, reason.tag(), message);
        }
    }
}
