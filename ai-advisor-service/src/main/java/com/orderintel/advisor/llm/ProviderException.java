package com.orderintel.advisor.llm;

/** A provider call failed; {@link #reason()} says how (and whether a retry can help). */
public class ProviderException extends RuntimeException {

    private final FallbackReason reason;
    private final boolean retryable;

    public ProviderException(FallbackReason reason, String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.reason = reason;
        this.retryable = retryable;
    }

    public ProviderException(FallbackReason reason, String message, Throwable cause) {
        this(reason, message, cause, reason == FallbackReason.TIMEOUT || reason == FallbackReason.ERROR);
    }

    public ProviderException(FallbackReason reason, String message) {
        this(reason, message, null);
    }

    public FallbackReason reason() {
        return reason;
    }

    /** Timeouts and transport / 5xx / 429 errors may pass; a malformed answer or a 401 will not. */
    public boolean retryable() {
        return retryable;
    }
}
