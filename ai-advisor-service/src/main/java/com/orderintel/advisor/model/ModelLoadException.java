package com.orderintel.advisor.model;

import com.orderintel.advisor.web.ApiProblemException;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.RegistryException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A model could not be loaded or failed validation; the message names URI and cause. As an API problem: 400 for a
 * bad URI, else 422, and the current models keep serving.
 */
public class ModelLoadException extends ApiProblemException {

    private final String uri;
    private final RegistryException.Reason reason;

    public ModelLoadException(String uri, RegistryException.Reason reason, String message, Throwable cause) {
        super(reason == RegistryException.Reason.INVALID_URI ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY,
                "model-refused", "Model refused; the current models keep serving", ModelUri.redact(message), cause);
        this.uri = ModelUri.redact(uri); // user info never reaches a problem detail or a log
        this.reason = reason;
    }

    public String uri() {
        return uri;
    }

    public RegistryException.Reason reason() {
        return reason;
    }

    /** Bad URIs and invalid models do not get better by retrying; unreachable or missing objects may. */
    public boolean retryable() {
        return switch (reason) {
            case NOT_FOUND, IO, ACCESS_DENIED -> true;
            default -> false;
        };
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("reason", reason.name(), "uri", uri);
    }
}
