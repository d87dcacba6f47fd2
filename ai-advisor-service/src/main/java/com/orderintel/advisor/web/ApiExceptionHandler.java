package com.orderintel.advisor.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns every failure of the {@code /api/v1} controllers into an RFC 7807 problem: 400 naming the field for
 * bad input, a feature's own {@link ApiProblemException}s as they describe themselves, and 500 with an error id
 * (never a stack trace).
 * Scoped by {@link AdvisorApi} so other controllers (e.g. Open Inference Protocol) keep their own format.
 */
@RestControllerAdvice(annotations = AdvisorApi.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalid(InvalidInputException e, HttpServletRequest request) {
        return invalid(e.violations(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        ProblemDetail limit = limitExceeded(e);
        if (limit != null) {
            return withInstance(limit, request);
        }
        if (cause instanceof JsonParseException parse) {
            ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON",
                    "request body is not valid JSON: " + parse.getOriginalMessage() + " (line "
                            + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr() + ")");
            return withInstance(p, request);
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping.getPath());
            return invalid(List.of(new FieldViolation(field, wrongType(mapping))), request);
        }
        String detail = cause instanceof JsonProcessingException jp ? jp.getOriginalMessage()
                : "request body is missing or not readable JSON";
        return withInstance(Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON",
                firstLine(detail)), request);
    }

    /**
     * A body over the size limit (413) or JSON beyond the read constraints (400, nesting / string / number length),
     * anywhere in the cause chain; null when the failure is something else. Public for the OIP handler.
     */
    public static ProblemDetail limitExceeded(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestLimits.BodyTooLargeException tooLarge) {
                return Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large", "Payload too large", tooLarge.getMessage());
            }
            if (t instanceof StreamConstraintsException limit) {
                return Problems.of(HttpStatus.BAD_REQUEST, "input-too-large", "Input beyond limits",
                        "request body is beyond the JSON limits: " + firstLine(limit.getOriginalMessage())
                                .replaceAll(" \\(from `StreamReadConstraints[^)]*\\)", "").replaceAll(", from `StreamReadConstraints[^`]*`", ""));
            }
        }
        return null;
    }

    /** A query parameter of the wrong type (e.g. {@code explain=maybe}): 400 naming it, not a 500. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail parameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == boolean.class || e.getRequiredType() == Boolean.class
                ? "true or false" : "a valid value";
        return invalid(List.of(new FieldViolation(e.getName(), "must be " + expected + ", got \"" + e.getValue() + "\"")),
                request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ProblemDetail mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return withInstance(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Unsupported media type", "send Content-Type: application/json"), request);
    }

    /** Every feature's own problems (model refused, not found, conflict, no model, ...). */
    @ExceptionHandler(ApiProblemException.class)
    ProblemDetail problem(ApiProblemException e, HttpServletRequest request) {
        ProblemDetail p = Problems.of(e.status(), e.type(), e.title(), e.getMessage());
        e.properties().forEach(p::setProperty);
        return withInstance(p, request);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof org.springframework.web.ErrorResponse spring) { // Spring MVC's own 4xx: keep it
            return withInstance(spring.getBody(), request);
        }
        String id = UUID.randomUUID().toString();
        log.error("unexpected error {} on {} {}", id, request.getMethod(), request.getRequestURI(), e);
        ProblemDetail p = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the request failed unexpectedly; the server log has the details under error id " + id);
        p.setProperty("error_id", id);
        return withInstance(p, request);
    }

    private static ProblemDetail invalid(List<FieldViolation> violations, HttpServletRequest request) {
        FieldViolation first = violations.getFirst();
        String detail = violations.size() == 1 ? first.field() + ": " + first.message()
                : first.field() + ": " + first.message() + " (and " + (violations.size() - 1) + " more)";
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", detail);
        p.setProperty("field", first.field());
        p.setProperty("errors", violations.stream().map(v -> Map.of("field", v.field(), "message", v.message())).toList());
        return withInstance(p, request);
    }

    private static ProblemDetail withInstance(ProblemDetail p, HttpServletRequest request) {
        p.setInstance(URI.create(request.getRequestURI()));
        return p;
    }

    /** Jackson reference path as a JSON path: {@code items[3].payment_score}. */
    public static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** "has the wrong type or format: expected an ISO date (yyyy-MM-dd), got "2024-13-45"", no Java class names. */
    public static String wrongType(JsonMappingException e) {
        Class<?> target = e instanceof MismatchedInputException mi ? mi.getTargetType() : null;
        String expected;
        if (target == null) {
            expected = "a different JSON type";
        } else if (LocalDate.class.equals(target)) {
            expected = "an ISO date (yyyy-MM-dd)";
        } else if (Number.class.isAssignableFrom(target) || (target.isPrimitive() && target != boolean.class)) {
            expected = "a number";
        } else if (CharSequence.class.isAssignableFrom(target)) {
            expected = "a string";
        } else if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            expected = "an array";
        } else {
            expected = "an object";
        }
        StringBuilder out = new StringBuilder("has the wrong type or format: expected ").append(expected);
        if (e instanceof InvalidFormatException ife) {
            out.append(", got \"").append(ife.getValue()).append('"');
            if (ife.getCause() instanceof DateTimeParseException dtp) {
                out.append(" (").append(dtp.getMessage()).append(')');
            }
        }
        return out.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
