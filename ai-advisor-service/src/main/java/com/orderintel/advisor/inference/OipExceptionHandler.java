package com.orderintel.advisor.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.orderintel.advisor.inference.OipPayloads.ErrorResponse;
import com.orderintel.advisor.web.FieldViolation;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.advisor.web.ApiProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Errors of the /v2 endpoints in the protocol's shape, {@code {"error": "..."}}, never a stack trace. */
@RestControllerAdvice(assignableTypes = OipController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OipExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OipExceptionHandler.class);
    /** Field paths of the shared batch validation, re-expressed as tensor elements. */
    private static final Pattern ITEM = Pattern.compile("items\\[(\\d+)]\\.(\\w+)");

    @ExceptionHandler(OipException.class)
    ResponseEntity<ErrorResponse> oip(OipException e) {
        return ResponseEntity.status(e.status()).body(new ErrorResponse(e.getMessage()));
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ErrorResponse> invalid(InvalidInputException e) {
        String message = e.violations().stream().map(OipExceptionHandler::describe).collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().body(new ErrorResponse(message));
    }

    /** No model (503) and the other API problems, with their own status. */
    @ExceptionHandler(ApiProblemException.class)
    ResponseEntity<ErrorResponse> problem(ApiProblemException e) {
        return ResponseEntity.status(e.status()).body(new ErrorResponse(e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorResponse> unreadable(HttpMessageNotReadableException e) {
        var limit = com.orderintel.advisor.web.ApiExceptionHandler.limitExceeded(e);
        if (limit != null) { // body over the size limit (413) or JSON beyond the read constraints (400)
            return ResponseEntity.status(limit.getStatus()).body(new ErrorResponse(limit.getDetail()));
        }
        // never Jackson's own wording for mapping errors: it names Java types (java.lang.Long, JsonToken...)
        String why;
        if (e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
            String field = com.orderintel.advisor.web.ApiExceptionHandler.path(mapping.getPath());
            why = (field.isEmpty() ? "the body" : field) + " " + com.orderintel.advisor.web.ApiExceptionHandler.wrongType(mapping);
        } else if (e.getCause() instanceof JsonProcessingException jp) {
            why = jp.getOriginalMessage();
        } else {
            why = "request body is missing or not readable";
        }
        int nl = why.indexOf('\n');
        return ResponseEntity.badRequest().body(new ErrorResponse("malformed inference request: "
                + (nl < 0 ? why : why.substring(0, nl))));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorResponse> unexpected(Exception e) {
        if (e instanceof org.springframework.web.ErrorResponse spring) { // Spring MVC's own 4xx: keep the status
            return ResponseEntity.status(spring.getStatusCode()).body(new ErrorResponse(spring.getBody().getDetail()));
        }
        String id = UUID.randomUUID().toString();
        log.error("unexpected error {} in Open Inference Protocol request", id, e);
        return ResponseEntity.internalServerError().body(new ErrorResponse("internal error; see the server log for "
                + "error id " + id));
    }

    static String describe(FieldViolation v) {
        Matcher m = ITEM.matcher(v.field());
        if (m.matches()) {
            return "input '" + m.group(2) + "' element " + m.group(1) + ": " + v.message();
        }
        return v.field() + ": " + v.message();
    }
}
