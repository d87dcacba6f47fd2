package com.orderintel.advisor.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Bean Validation of request records, reported with JSON field names ({@code items[3].payment_score}) rather
 * than Java property paths. Called explicitly (not {@code @Valid}) so the batch size limit is checked before
 * a huge batch is validated item by item. A record that {@link ConstraintPrecheck} proves valid from the same
 * constraints skips the validator (a batch's records mostly are); any other goes through it.
 */
@Component
public class RequestValidation {

    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private final Validator validator;
    private final int maxBatchSize;
    /** Per request type: what proves a record valid without a full validation (most records of a batch). */
    private final ClassValue<ConstraintPrecheck> prechecks = new ClassValue<>() {
        @Override
        protected ConstraintPrecheck computeValue(Class<?> type) {
            return ConstraintPrecheck.of(validator, type);
        }
    };

    public RequestValidation(Validator validator, ApiProperties properties) {
        this.validator = validator;
        this.maxBatchSize = properties.maxBatchSize();
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Throws {@link InvalidInputException} naming every invalid field of {@code request}. */
    public void check(Object request) {
        check(request, "");
    }

    /** Same, with every field name prefixed (e.g. {@code inputs[2]} for a tensor row). */
    public void check(Object request, String prefix) {
        if (request != null && prechecks.get(request.getClass()).provesValid(request)) {
            return;
        }
        Set<ConstraintViolation<Object>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            // One message per field, the most basic first: a NaN is "not finite", not also "out of range".
            Map<String, FieldViolation> byField = new TreeMap<>();
            violations.stream()
                    .sorted(Comparator.comparingInt(RequestValidation::priority))
                    .forEach(v -> byField.putIfAbsent(prefix + jsonPath(v.getPropertyPath()),
                            new FieldViolation(prefix + jsonPath(v.getPropertyPath()), v.getMessage())));
            throw new InvalidInputException(List.copyOf(byField.values()));
        }
    }

    /** Refuses batches that are missing, empty or larger than the configured limit. */
    public void checkBatch(List<?> items) {
        if (items == null) {
            throw new InvalidInputException("items", "is required (a JSON array of records)");
        }
        if (items.isEmpty()) {
            throw new InvalidInputException("items", "must contain at least one record");
        }
        if (items.size() > maxBatchSize) {
            throw new InvalidInputException("items", "batch has " + items.size() + " records; the limit is "
                    + maxBatchSize + " (advisor.api.max-batch-size)");
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw new InvalidInputException("items[" + i + "]", "must be a JSON object, not null");
            }
        }
    }

    private static int priority(ConstraintViolation<?> v) {
        Class<?> type = v.getConstraintDescriptor().getAnnotation().annotationType();
        if (type == NotNull.class || type == NotBlank.class) {
            return 0;
        }
        return type == Finite.class ? 1 : 2;
    }

    static String jsonPath(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getIndex() != null && node.isInIterable()) {
                out.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(SNAKE.translate(node.getName()));
            }
        }
        return out.toString();
    }
}
