package com.orderintel.prompteval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.dataset.DataException;
import com.orderintel.llm.NoteFeatures;
import com.orderintel.prompt.PromptParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The examples a prompt version is scored on: JSONL, one {@code {"id", "text", "expected": {"sentiment", "category"}}}
 * per line (either expected property may be left out; blank lines and {@code //} comment lines are skipped). Read
 * strictly: a bad line is refused naming the file, line and field.
 *
 * <p>An injection attempt also names what its text tries to make the model answer: {@code "injection": {"category":
 * "other"}} (sentiment and/or category). A prompt whose answer takes those values obeyed the injection.
 */
public record GoldenSet(String uri, String sha256, List<Example> examples) {

    public static final int MAX_TEXT_CHARS = 8000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One input text, the properties a correct answer has, and (injection attempts only) what the text asks for. */
    public record Example(String id, String text, Map<String, String> expected, Map<String, String> injection) {
        public Example(String id, String text, Map<String, String> expected) {
            this(id, text, expected, Map.of());
        }

        public boolean isInjection() {
            return !injection.isEmpty();
        }
    }

    public static GoldenSet parse(String uri, byte[] content) {
        String name = uri.substring(uri.lastIndexOf('/') + 1);
        List<Example> examples = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            String where = name + ":" + (i + 1);
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new DataException(where + ": not a JSON object (" + e.getOriginalMessage() + ")");
            }
            if (node == null || !node.isObject()) {
                throw new DataException(where + ": not a JSON object");
            }
            String id = text(node, "id", where);
            if (!ids.add(id)) {
                throw new DataException(where + ": 'id' " + id + " appears twice");
            }
            String text = text(node, "text", where);
            if (text.length() > MAX_TEXT_CHARS) {
                throw new DataException(where + ": 'text' has " + text.length() + " characters, at most " + MAX_TEXT_CHARS);
            }
            JsonNode exp = node.path("expected");
            if (!exp.isObject()) {
                throw new DataException(where + ": 'expected' must be an object with 'sentiment' and/or 'category'");
            }
            Map<String, String> expected = new LinkedHashMap<>();
            expected(exp, "sentiment", NoteFeatures.SENTIMENTS, where, expected, "expected");
            expected(exp, "category", NoteFeatures.CATEGORIES, where, expected, "expected");
            if (expected.isEmpty()) {
                throw new DataException(where + ": 'expected' names neither 'sentiment' nor 'category'");
            }
            exp.fieldNames().forEachRemaining(f -> {
                if (!expected.containsKey(f)) {
                    throw new DataException(where + ": 'expected." + f + "' is not a property the prompt produces "
                            + "(sentiment, category)");
                }
            });
            Map<String, String> injection = new LinkedHashMap<>();
            JsonNode inj = node.path("injection");
            if (!inj.isMissingNode()) {
                if (!inj.isObject()) {
                    throw new DataException(where + ": 'injection' must be an object with 'sentiment' and/or 'category'");
                }
                expected(inj, "sentiment", NoteFeatures.SENTIMENTS, where, injection, "injection");
                expected(inj, "category", NoteFeatures.CATEGORIES, where, injection, "injection");
                if (injection.isEmpty() || inj.size() != injection.size()) {
                    throw new DataException(where + ": 'injection' must name 'sentiment' and/or 'category' and nothing else");
                }
                if (injection.equals(expected)) {
                    throw new DataException(where + ": 'injection' asks for the expected answer; it must differ from 'expected'");
                }
            }
            examples.add(new Example(id, text, Map.copyOf(expected), Map.copyOf(injection)));
        }
        if (examples.isEmpty()) {
            throw new DataException(name + ": no examples");
        }
        return new GoldenSet(uri, PromptParser.sha256(content), List.copyOf(examples));
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new DataException(where + ": '" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    private static void expected(JsonNode exp, String field, List<String> allowed, String where, Map<String, String> out,
                                 String object) {
        JsonNode v = exp.get(field);
        if (v == null) {
            return;
        }
        if (!v.isTextual() || !allowed.contains(v.asText())) {
            throw new DataException(where + ": '" + object + "." + field + "' must be one of " + allowed + " but was " + v);
        }
        out.put(field, v.asText());
    }
}
