package com.orderintel.registryserver.web;

import com.orderintel.registry.RegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.sql.SQLException;

/** API failures as RFC 9457 problems whose detail names the model, alias or field at fault; never a stack trace. */
@RestControllerAdvice(annotations = RestController.class)
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    /** The HTTP status of a registry failure, shared with the console's messages. */
    public static HttpStatus status(RegistryException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case APPROVAL_REQUIRED, CONFLICT -> HttpStatus.CONFLICT;
            case NOT_PERMITTED, ACCESS_DENIED -> HttpStatus.FORBIDDEN;
            case INVALID_URI, INVALID_MANIFEST, VALIDATION -> HttpStatus.BAD_REQUEST;
            case TOO_LARGE -> HttpStatus.PAYLOAD_TOO_LARGE;
            case IO, CHECKSUM_MISMATCH, CORRUPT_ARTIFACT -> HttpStatus.BAD_GATEWAY;
        };
    }

    @ExceptionHandler(RegistryException.class)
    ProblemDetail registry(RegistryException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status(e), e.getMessage());
        p.setTitle(e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        p.setProperty("reason", e.reason().name());
        return p;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badInput(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the body is not the JSON object expected, e.g. "
                + "{\"version\": \"v2\", \"reason\": \"why\"}");
    }

    @ExceptionHandler(SQLException.class)
    ProblemDetail captureStore(SQLException e) {
        log.warn("capture store query failed: {}", e.toString());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "the capture store did not answer: " + e.getMessage());
    }
}
