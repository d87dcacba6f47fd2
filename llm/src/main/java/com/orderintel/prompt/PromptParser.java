package com.orderintel.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a prompt file: YAML front matter between {@code ---} lines declaring the typed variables, then the body.
 * <pre>
 * ---
 * variables:
 *   note: string
 *   max_words: integer
 * ---
 * Summarise this order note in at most {{max_words}} words: {{note}}
 * </pre>
 * An optional {@code data: [note]} names variables that hold untrusted text: they are not placeholders but sent as a
 * separate JSON message ({@link PromptTemplate#messages}).
 * The checksum covers the whole file (front matter included), so changing a variable's type is a new version.
 */
public final class PromptParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PromptParser() { }

    public static PromptTemplate parse(String name, String version, byte[] content) {
        String where = "prompt " + PromptTemplate.id(name, version);
        String text = new String(content, StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (!text.startsWith("---\n")) {
            throw new PromptException(where + ": missing front matter (file must start with a '---' line)");
        }
        int end = text.indexOf("\n---\n", 3);
        if (end < 0) {
            throw new PromptException(where + ": front matter is not closed by a '---' line");
        }
        JsonNode front;
        try {
            front = YAML.readTree(text.substring(4, end));
        } catch (JsonProcessingException e) {
            throw new PromptException(where + ": front matter is not valid YAML: " + e.getOriginalMessage());
        }
        JsonNode vars = front == null ? null : front.get("variables");
        Map<String, VariableType> variables = new LinkedHashMap<>();
        if (vars != null && !vars.isNull()) {
            if (!vars.isObject()) {
                throw new PromptException(where + ": 'variables' must be a map of name: type");
            }
            vars.properties().forEach(e -> variables.put(e.getKey(),
                    VariableType.parse(e.getValue().asText(), where + " variables." + e.getKey())));
        }
        List<String> data = new ArrayList<>();
        JsonNode dataNode = front == null ? null : front.get("data");
        if (dataNode != null && !dataNode.isNull()) {
            if (!dataNode.isArray()) {
                throw new PromptException(where + ": 'data' must be a list of variable names, e.g. [note]");
            }
            dataNode.forEach(d -> data.add(d.asText()));
        }
        String body = text.substring(end + 5);
        return new PromptTemplate(name, version, sha256(content), variables, body, data);
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
