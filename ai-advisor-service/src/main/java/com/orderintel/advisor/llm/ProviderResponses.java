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
                throw malformed("embeddings: 'data[0].embedding[" + i + "]' is not a finite number: " + ChatCompletions.abbreviate(x));
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
        JsonNode answer;
        try { // the chat envelope and the content object are read as the runner's prompt evaluation reads them
            answer = ChatCompletions.contentObject(ChatCompletions.parse(body).content());
        } catch (LlmFormatException e) {
            throw malformed(e.getMessage());
        }
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
                    + " but was " + ChatCompletions.abbreviate(category));
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

    private static ProviderException malformed(String message) {
        return new ProviderException(FallbackReason.MALFORMED, "malformed provider response: " + message);
    }
}
