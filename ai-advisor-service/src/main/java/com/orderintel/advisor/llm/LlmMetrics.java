package com.orderintel.advisor.llm;

import com.orderintel.llm.TokenPrices;
import com.orderintel.llm.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code advisor_llm_provider_calls_total{operation,outcome}}, {@code advisor_llm_fallbacks_total{operation,reason}},
 * {@code advisor_llm_cache_requests_total{result=hit|miss|error}}, {@code advisor_llm_tokens_total{provider,model,kind=
 * prompt|completion}}, {@code advisor_llm_cost_usd_total{provider,model}} (estimated from the price table) and
 * {@code advisor_llm_note_enrichments_total{source,outcome}}. Circuit breaker and retry meters come from
 * resilience4j-micrometer ({@code resilience4j_circuitbreaker_*}, {@code resilience4j_retry_*}).
 */
public class LlmMetrics {

    private final MeterRegistry registry;
    private final TokenPrices prices;

    public LlmMetrics(MeterRegistry registry) {
        this(registry, new TokenPrices(java.util.Map.of()));
    }

    public LlmMetrics(MeterRegistry registry, TokenPrices prices) {
        this.registry = registry;
        this.prices = prices;
    }

    /** One HTTP attempt against the provider (retries count individually). */
    public void providerCall(String operation, String outcome) {
        Counter.builder("advisor.llm.provider.calls").description("HTTP calls to the LLM provider")
                .tag("operation", operation).tag("outcome", outcome).register(registry).increment();
    }

    public void fallback(String operation, FallbackReason reason) {
        Counter.builder("advisor.llm.fallbacks").description("Answers from the local fallback, by reason")
                .tag("operation", operation).tag("reason", reason.tag()).register(registry).increment();
    }

    public void cache(String result) {
        Counter.builder("advisor.llm.cache.requests").description("Embedding cache look-ups")
                .tag("result", result).register(registry).increment();
    }

    /** Tokens the provider billed for one answered call, and their estimated cost from the price table. */
    public void tokens(String provider, String model, Usage usage) {
        Counter.builder("advisor.llm.tokens").description("Tokens billed by the LLM provider").baseUnit("tokens")
                .tag("provider", provider).tag("model", model).tag("kind", "prompt").register(registry)
                .increment(usage.promptTokens());
        Counter.builder("advisor.llm.tokens").description("Tokens billed by the LLM provider").baseUnit("tokens")
                .tag("provider", provider).tag("model", model).tag("kind", "completion").register(registry)
                .increment(usage.completionTokens());
        Counter.builder("advisor.llm.cost").description("Estimated provider cost from advisor.llm.pricing.table")
                .baseUnit("usd").tag("provider", provider).tag("model", model).register(registry)
                .increment(prices.cost(model, usage));
    }

    /** One order note enriched in the capture path: {@code source} provider|fallback, {@code outcome} stored|dropped|failed. */
    public void noteEnrichment(String source, String outcome) {
        Counter.builder("advisor.llm.note.enrichments").description("Order notes enriched as model features")
                .tag("source", source).tag("outcome", outcome).register(registry).increment();
    }
}
