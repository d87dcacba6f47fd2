package com.orderintel.registry.lifecycle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.orderintel.registry.ModelNames;
import com.orderintel.registry.ModelUri;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The wire form of a {@link LifecycleEvent} (docs/schemas/lifecycle-event.schema.json): JSON, ISO-8601 instants,
 * absent fields left out. Reading treats the body as hostile: its size is bounded before parsing, duplicate keys are
 * refused, and every field is checked (type among {@link LifecycleEvent#TYPES}; model, version, alias and from by the
 * registry's own name rule, {@link ModelNames}; ids, principal and reason bounded), so what a receiver acts on is
 * never a path, a control character or a megabyte. Refusals are {@link InvalidEventException}s naming the field.
 */
public final class LifecycleEventCodec {

    /** A real event is a few hundred bytes; a reason of {@link #MAX_REASON} characters still fits. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    static final int MAX_REASON = 2000;
    static final int MAX_PRINCIPAL = 200;
    static final int MAX_REGISTRY = 1000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8).maxStringLength(MAX_BODY_BYTES).build());
    }

    private LifecycleEventCodec() {
    }

    /**
     * The event as JSON bytes (UTF-8), after {@link #check}: a malformed event is never sent, and credentials in the
     * registry location are masked ({@link ModelUri#redact}) however the event was built.
     */
    public static byte[] write(LifecycleEvent event) {
        check(event);
        String registry = ModelUri.redact(event.registry());
        LifecycleEvent safe = Objects.equals(registry, event.registry()) ? event
                : new LifecycleEvent(event.eventId(), event.type(), event.at(), registry, event.model(), event.version(),
                event.alias(), event.from(), event.by(), event.reason(), event.requestId());
        try {
            return JSON.writeValueAsBytes(safe);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and checks a received body; {@link InvalidEventException} says what is wrong with it. */
    public static LifecycleEvent read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidEventException("the body is empty");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new InvalidEventException("the body is " + body.length + " bytes (at most " + MAX_BODY_BYTES + ")");
        }
        LifecycleEvent event;
        try {
            event = JSON.readValue(body, LifecycleEvent.class);
        } catch (IOException e) {
            throw new InvalidEventException("the body is not a lifecycle event: " + firstLine(originalMessage(e)));
        }
        if (event == null) {
            throw new InvalidEventException("the body is JSON null");
        }
        return check(event);
    }

    /** {@code event} when every field is acceptable, else {@link InvalidEventException} naming the first bad one. */
    public static LifecycleEvent check(LifecycleEvent event) {
        id("eventId", event.eventId(), true);
        if (event.type() == null || !LifecycleEvent.TYPES.contains(event.type())) {
            throw new InvalidEventException("field 'type' " + ModelNames.quote(event.type(), 60) + " is not one of "
                    + LifecycleEvent.TYPES.stream().sorted().toList());
        }
        if (event.at() == null) {
            throw new InvalidEventException("field 'at' is missing");
        }
        name("model", event.model(), true);
        name("version", event.version(), true);
        name("alias", event.alias(), event.movesAlias());
        name("from", event.from(), false);
        id("requestId", event.requestId(), false);
        text("by", event.by(), MAX_PRINCIPAL);
        text("registry", event.registry(), MAX_REGISTRY);
        text("reason", event.reason(), MAX_REASON);
        return event;
    }

    private static void name(String field, String value, boolean required) {
        if (value == null && !required) {
            return;
        }
        String problem = ModelNames.problem(value);
        if (problem != null) {
            throw new InvalidEventException("field '" + field + "' " + ModelNames.quote(value, 60) + " is not allowed: " + problem);
        }
    }

    private static void id(String field, String value, boolean required) {
        if (value == null && !required) {
            return;
        }
        if (value == null || !ID.matcher(value).matches()) {
            throw new InvalidEventException("field '" + field + "' " + ModelNames.quote(value, 60)
                    + " is not an id (" + ID.pattern() + ")");
        }
    }

    private static void text(String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            throw new InvalidEventException("field '" + field + "' is " + value.length() + " characters long (at most " + max + ")");
        }
        // line breaks are fine in a reason; other control characters (terminal escapes, NUL) are not
        if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new InvalidEventException("field '" + field + "' contains a control character");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        String line = message.lines().findFirst().orElse("");
        return ModelNames.quote(line, 160);
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    /** A received body that is not a valid lifecycle event; the message names the problem and is safe to log. */
    public static final class InvalidEventException extends IllegalArgumentException {
        public InvalidEventException(String message) {
            super(message);
        }
    }
}
