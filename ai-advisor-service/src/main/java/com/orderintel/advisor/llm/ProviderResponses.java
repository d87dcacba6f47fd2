package com.orderintel.advisor.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.llm.ChatCompletions;
import com.orderintel.llm.LlmFormatException;
import com.orderintel.llm.NoteFeatures;

/**
 * Strict parsing of OpenAI-compatible responses (the platform rule: a hybrid model's provider answers are
 * validated, never trusted). Anything unexpected is a {@link FallbackReason#MALFORMED} error whose message names
 * the JSON path that was wrong.
 */
public final class ProviderResponses {

    private final ObjectMapper json;

    public ProviderResponses(ObjectMapper json) {
        this.json = json;
    }

    /** {@code {"data":[{"index":0,"embedding":[...]}]}} with exactly {@code expectedDims} finite numbers, or any if 0. */
    public float[] embedding(String body, int expectedDims) {
        JsonNode data = tree(body, "embeddings").path("data");
        if (!data.isArray() || data.isEmpty()) {
            throw malformed("embeddings: 'data' must be a non-empty array");
        }
        JsonNode vector = data.get(0).path("embedding");
        if (!vector.isArray() || vector.isEmpty()) {
            throw malformed("embeddings: 'data[0].embedding' must be a non-empty array of numbers");
        }
        if (expectedDims > 0 && vector.size() != expectedDims) {
            throw malformed("embeddings: 'data[0].embedding' has " + vector.size() + " dimensions, expected "
                    + expectedDims);
        }
        float[] out = new float[vector.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = vector.get(i);
            if (!x.isNumber() || !Double.isFinite(x.doubleValue())) {
                throw malformed("embeddings: 'data[0].embedding[" + i + "]' is not a finite number: " + abbreviate(x));
            }
            out[i] = x.floatValue();
        }
        return out;
    }

    /**
     * {@code choices[0].message.content} of a finished ({@code finish_reason: stop}) chat completion, which must
     * itself be the JSON object the prompt asks for: {@code {"summary": "...", "category": "<known category>"}}.
     */
    public RuleBasedSummarizer.Summary chatSummary(String body) {
        JsonNode choices = tree(body, "chat").path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw malformed("chat: 'choices' must be a non-empty array");
        }
        JsonNode choice = choices.get(0);
        String finish = choice.path("finish_reason").asText("");
        if (!finish.isEmpty() && !"stop".equals(finish)) {
            throw malformed("chat: 'choices[0].finish_reason' is '" + finish + "', expected 'stop' (truncated or filtered)");
        }
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual() || content.asText().isBlank()) {
            throw malformed("chat: 'choices[0].message.content' must be a non-empty string");
        }
        JsonNode answer = tree(stripFence(content.asText()), "chat content");
        JsonNode summary = answer.path("summary");
        JsonNode category = answer.path("category");
        if (!summary.isTextual() || summary.asText().isBlank()) {
            throw malformed("chat content: 'summary' must be a non-empty string");
        }
        if (summary.asText().length() > 4 * RuleBasedSummarizer.MAX_SUMMARY_CHARS) {
            throw malformed("chat content: 'summary' is " + summary.asText().length() + " characters, too long");
        }
        if (!category.isTextual() || !RuleBasedSummarizer.Summary.CATEGORIES.contains(category.asText())) {
            throw malformed("chat content: 'category' must be one of " + RuleBasedSummarizer.Summary.CATEGORIES
                    + " but was " + abbreviate(category));
        }
        return new RuleBasedSummarizer.Summary(summary.asText().strip(), category.asText());
    }

    /**
     * A chat completion whose content is the note-features object {@code {"sentiment", "category"}} (the
     * {@code order-note-features} prompt), read with the wire parsing the training runner's evaluation uses.
     */
    public NoteFeatures noteFeatures(String body) {
        try {
            return ChatCompletions.noteFeatures(ChatCompletions.parse(body).content());
        } catch (LlmFormatException e) {
            throw malformed(e.getMessage());
        }
    }

    private JsonNode tree(String body, String what) {
        if (body == null || body.isBlank()) {
            throw malformed(what + ": empty response body");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw malformed(what + ": response is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw malformed(what + ": response is not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** Models often wrap JSON in a ```json fence despite instructions; that much is tolerated. */
    private static String stripFence(String s) {
        String t = s.strip();
        if (t.startsWith("```")) {
            t = t.substring(t.indexOf('\n') + 1);
            int end = t.lastIndexOf("```");
            t = end >= 0 ? t.substring(0, end) : t;
        }
        return t;
    }

    private static String abbreviate(JsonNode node) {
        String s = node.isMissingNode() ? "<missing>" : node.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static ProviderException malformed(String message) {
        return new ProviderException(FallbackReason.MALFORMED, "malformed provider response: " + message);
    }
}
