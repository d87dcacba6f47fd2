package com.orderintel.advisor.web;

import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A failure a feature reports to API callers as an RFC 7807 problem: status, stable type, title, detail (the
 * message) and extra properties. Features extend it, so {@link ApiExceptionHandler} needs to know none of them.
 */
public abstract class ApiProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String title;

    protected ApiProblemException(HttpStatus status, String type, String title, String detail) {
        this(status, type, title, detail, null);
    }

    protected ApiProblemException(HttpStatus status, String type, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    /** Extra problem members (snake_case names); none by default. */
    public Map<String, Object> properties() {
        return Map.of();
    }
}
