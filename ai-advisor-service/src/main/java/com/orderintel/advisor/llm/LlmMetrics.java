package com.orderintel.advisor.llm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code advisor_llm_provider_calls_total{operation,outcome}}, {@code advisor_llm_fallbacks_total{operation,reason}}
 * and {@code advisor_llm_cache_requests_total{result=hit|miss|error}}.
 */
public class LlmMetrics {

    private final MeterRegistry registry;

    public LlmMetrics(MeterRegistry registry) {
        this.registry = registry;
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
}
