package com.orderintel.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Test double for an LLM provider (no real one exists on this machine): a loopback HTTP server speaking OpenAI's
 * documented {@code POST /v1/chat/completions} wire format. It checks the request the way the API does (JSON body,
 * {@code model}, {@code messages[].role/content}; 400 with an OpenAI error object otherwise) and answers a
 * {@code chat.completion} with {@code usage}. Like a real model it follows the prompt: a prompt that asks for the
 * {@code {"sentiment": ..., "category": ...}} JSON object gets one (labels from {@code answers}, keyed by the note),
 * any other prompt gets prose.
 *
 * <p>Like an instruction-following model it also obeys injected instructions, but only where they reach it as
 * instructions: the note is the data field of the prompt (a message holding the JSON object {@code {"note": ...}}, as
 * prompts with {@code data: [note]} send it; otherwise the block between the first triple quotes of the user message);
 * text after that block closes (a note containing triple quotes closes it early) is read as instructions, and any
 * {@code sentiment=...} / {@code "category": "..."} there overrides the answer. Text inside the data field is never
 * obeyed.
 */
final class OpenAiWireLoopbackServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Map<String, String>> answers;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    OpenAiWireLoopbackServer(Map<String, Map<String, String>> answers) throws IOException {
        this.answers = answers;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, 405, error("method not allowed"));
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(ex.getRequestBody().readAllBytes());
            } catch (IOException e) {
                send(ex, 400, error("We could not parse the JSON body of your request."));
                return;
            }
            requests.add(body);
            JsonNode messages = body.path("messages");
            boolean wellFormed = body.path("model").isTextual() && messages.isArray() && !messages.isEmpty();
            for (JsonNode m : messages) {
                wellFormed &= m.path("role").isTextual() && m.path("content").isTextual();
            }
            if (!wellFormed) {
                send(ex, 400, error("'model' and 'messages' with role and content are required"));
                return;
            }
            String[] noteAndInstructions = noteAndInjectedText(messages);
            String prompt = noteAndInstructions[2];
            String content;
            if (prompt.contains("{\"sentiment\":")) {
                Map<String, String> labels = new java.util.HashMap<>(answers.getOrDefault(noteAndInstructions[0],
                        Map.of("sentiment", "neutral", "category", "other")));
                java.util.regex.Matcher injected = INJECTED.matcher(noteAndInstructions[1]);
                while (injected.find()) { // obeys what reached it outside the data field
                    labels.put(injected.group(1), injected.group(2));
                }
                content = JSON.createObjectNode().put("sentiment", labels.get("sentiment"))
                        .put("category", labels.get("category")).toString();
            } else {
                content = "This customer seems a bit unhappy; the note is mostly about their order.";
            }
            ObjectNode out = JSON.createObjectNode().put("id", "chatcmpl-loopback").put("object", "chat.completion")
                    .put("created", 1).put("model", body.path("model").asText());
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", content);
            choice.put("finish_reason", "stop");
            int promptChars = 0;
            for (JsonNode m : messages) {
                promptChars += m.path("content").asText().length();
            }
            int promptTokens = Math.max(1, promptChars / 4);
            int completionTokens = Math.max(1, content.length() / 4);
            out.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
            send(ex, 200, out.toString());
        }
    }

    private static final java.util.regex.Pattern INJECTED = java.util.regex.Pattern.compile(
            "(sentiment|category)\"?\\s*[=:]\\s*\"?(negative|neutral|positive|delivery|payment|return|product|fraud|other)\\b");

    /**
     * The note as the model sees it (its data field), the text after the data field closed early ("" if none), and
     * the prompt's own instructions (everything before the data field, or every message but the data message).
     */
    private static String[] noteAndInjectedText(JsonNode messages) {
        StringBuilder instructions = new StringBuilder();
        String note = null;
        for (JsonNode m : messages) {
            String content = m.path("content").asText();
            JsonNode data = null;
            try {
                data = JSON.readTree(content);
            } catch (IOException notJson) {
                // an instructions message
            }
            if (note == null && data != null && data.isObject() && data.path("note").isTextual()) {
                note = data.path("note").asText();
            } else {
                instructions.append(content).append('\n');
            }
        }
        if (note != null) {
            return new String[] {note, "", instructions.toString()};
        }
        String user = messages.get(messages.size() - 1).path("content").asText();
        int open = user.indexOf("\"\"\"\n");
        if (open < 0) {
            return new String[] {user, "", user};
        }
        int close = user.indexOf("\"\"\"", open + 4);
        note = close < 0 ? user.substring(open + 4) : user.substring(open + 4, close);
        note = note.endsWith("\n") ? note.substring(0, note.length() - 1) : note;
        return new String[] {note, close < 0 ? "" : user.substring(close + 3), user.substring(0, open)};
    }

    private static String error(String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
