package com.orderintel.advisor.llm;

import java.util.Locale;

/**
 * Why the local fallback answered instead of the provider; the {@code reason} tag of the fallback counter.
 * {@code BUDGET}: the call would have gone over the LLM budget ({@link LlmBudget}), so it was never made.
 */
public enum FallbackReason {
    NOT_CONFIGURED, TIMEOUT, ERROR, MALFORMED, CIRCUIT_OPEN, BUDGET;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
