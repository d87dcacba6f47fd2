package com.orderintel.advisor.model;

/**
 * A model could not be loaded or failed validation. {@code reason} is the registry's reason
 * ({@code NOT_FOUND}, {@code CHECKSUM_MISMATCH}, ...) or {@code VALIDATION}; the message names URI and cause.
 */
public class ModelLoadException extends RuntimeException {

    private final String uri;
    private final String reason;

    public ModelLoadException(String uri, String reason, String message, Throwable cause) {
        super(message, cause);
        this.uri = uri;
        this.reason = reason;
    }

    public String uri() {
        return uri;
    }

    public String reason() {
        return reason;
    }

    /** Bad URIs and invalid models do not get better by retrying; unreachable or missing objects may. */
    public boolean retryable() {
        return switch (reason) {
            case "NOT_FOUND", "IO", "ACCESS_DENIED" -> true;
            default -> false;
        };
    }
}
