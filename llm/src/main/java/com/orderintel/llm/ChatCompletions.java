package com.orderintel.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderintel.prompt.PromptTemplate;

import java.util.List;

/**
 * The OpenAI {@code POST /v1/chat/completions} wire format, as documented by OpenAI and spoken by compatible servers
 * (vLLM, Ollama, LocalAI, Azure OpenAI's deployment URLs): the request body we send and strict parsing of the
 * answer. Shared by the service and the training runner's prompt evaluation so both read answers the same way.
 */
public final class ChatCompletions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatCompletions() {
    }

    /** One finished answer: the assistant's text and the tokens billed. */
    public record Reply(String content, Usage usage) { }

    /**
     * {@code {"model": ..., "messages": [{"role": "user", "content": prompt}], "temperature": 0,
     * "response_format": {"type": "json_object"}}}; {@code model} is left out when null (Azure names the deployment
     * in the URL instead).
     */
    public static ObjectNode request(String model, String prompt) {
        return request(model, List.of(new PromptTemplate.Message("user", prompt)));
    }

    /** The same with the messages of a rendered template (a system message and the data as a user message). */
    public static ObjectNode request(String model, List<PromptTemplate.Message> messages) {
        ObjectNode body = JSON.createObjectNode();
        if (model != null) {
            body.put("model", model);
        }
        ArrayNode array = body.putArray("messages");
        messages.forEach(m -> array.addObject().put("role", m.role()).put("content", m.content()));
        body.put("temperature", 0);
        body.putObject("response_format").put("type", "json_object");
        return body;
    }

    /**
     * {@code choices[0].message.content} of a finished ({@code finish_reason: stop}) completion, and its
     * {@code usage} (zero when the server reports none).
     */
    public static Reply parse(String body) {
        JsonNode root = tree(body, "chat");
        JsonNode choices = root.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw new LlmFormatException("chat: 'choices' must be a non-empty array");
        }
        JsonNode choice = choices.get(0);
        String finish = choice.path("finish_reason").asText("");
        if (!finish.isEmpty() && !"stop".equals(finish)) {
            throw new LlmFormatException("chat: 'choices[0].finish_reason' is '" + finish
                    + "', expected 'stop' (truncated or filtered)");
        }
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual() || content.asText().isBlank()) {
            throw new LlmFormatException("chat: 'choices[0].message.content' must be a non-empty string");
        }
        return new Reply(content.asText(), usage(root));
    }

    /** The {@code usage} object of any OpenAI response (chat or embeddings); zero when absent or not numbers. */
    public static Usage usage(JsonNode root) {
        JsonNode u = root.path("usage");
        long prompt = u.path("prompt_tokens").canConvertToLong() && u.path("prompt_tokens").asLong() >= 0
                ? u.path("prompt_tokens").asLong() : 0;
        long completion = u.path("completion_tokens").canConvertToLong() && u.path("completion_tokens").asLong() >= 0
                ? u.path("completion_tokens").asLong() : 0;
        return new Usage(prompt, completion);
    }

    /** {@link #usage(JsonNode)} of a raw body; zero when the body is not JSON (parsing errors are reported elsewhere). */
    public static Usage usage(String body) {
        try {
            JsonNode root = body == null ? null : JSON.readTree(body);
            return root == null || !root.isObject() ? Usage.NONE : usage(root);
        } catch (JsonProcessingException e) {
            return Usage.NONE;
        }
    }

    /**
     * The JSON object inside an answer's content; a {@code ```json} fence around it is tolerated (models add one
     * despite instructions), anything else that is not one JSON object is refused.
     */
    public static JsonNode contentObject(String content) {
        return tree(stripFence(content), "chat content");
    }

    /** {@code {"sentiment": "...", "category": "..."}} from an answer's content, both from the closed vocabularies. */
    public static NoteFeatures noteFeatures(String content) {
        JsonNode answer = contentObject(content);
        String sentiment = closedValue(answer, "sentiment", NoteFeatures.SENTIMENTS);
        String category = closedValue(answer, "category", NoteFeatures.CATEGORIES);
        return new NoteFeatures(sentiment, category);
    }

    private static String closedValue(JsonNode answer, String field, java.util.List<String> allowed) {
        JsonNode v = answer.path(field);
        if (!v.isTextual() || !allowed.contains(v.asText())) {
            throw new LlmFormatException("chat content: '" + field + "' must be one of " + allowed + " but was "
                    + abbreviate(v));
        }
        return v.asText();
    }

    static JsonNode tree(String body, String what) {
        if (body == null || body.isBlank()) {
            throw new LlmFormatException(what + ": empty response body");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new LlmFormatException(what + ": response is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new LlmFormatException(what + ": response is not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static String stripFence(String s) {
        String t = s.strip();
        if (t.startsWith("```")) {
            t = t.substring(t.indexOf('\n') + 1);
            int end = t.lastIndexOf("```");
            t = end >= 0 ? t.substring(0, end) : t;
        }
        return t;
    }

    public static String abbreviate(JsonNode node) {
        String s = node.isMissingNode() ? "<missing>" : node.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
