package com.orderintel.advisor.inference;

import org.springframework.http.HttpStatus;

/** An Open Inference Protocol error: rendered as {@code {"error": "..."}} with this status. */
public class OipException extends RuntimeException {

    private final HttpStatus status;

    public OipException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    static OipException badRequest(String message) {
        return new OipException(HttpStatus.BAD_REQUEST, message);
    }
}
