package com.orderintel.advisor.llm;

import java.util.Locale;

/** Why the local fallback answered instead of the provider; the {@code reason} tag of the fallback counter. */
public enum FallbackReason {
    NOT_CONFIGURED, TIMEOUT, ERROR, MALFORMED, CIRCUIT_OPEN;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
