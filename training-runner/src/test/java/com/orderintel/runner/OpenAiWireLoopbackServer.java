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
 * {@code {"sentiment": ..., "category": ...}} JSON object gets one (labels from {@code answers}, keyed by the note
 * text between the prompt's triple quotes), any other prompt gets prose.
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
            if (!body.path("model").isTextual() || !messages.isArray() || messages.isEmpty()
                    || !messages.get(0).path("role").isTextual() || !messages.get(0).path("content").isTextual()) {
                send(ex, 400, error("'model' and 'messages' with role and content are required"));
                return;
            }
            String prompt = messages.get(0).path("content").asText();
            String content;
            if (prompt.contains("{\"sentiment\":")) {
                String note = prompt.replaceAll("(?s).*\"\"\"\\n(.*)\\n\"\"\".*", "$1");
                Map<String, String> expected = answers.getOrDefault(note, Map.of("sentiment", "neutral", "category", "other"));
                content = JSON.createObjectNode().put("sentiment", expected.get("sentiment"))
                        .put("category", expected.get("category")).toString();
            } else {
                content = "This customer seems a bit unhappy; the note is mostly about their order.";
            }
            ObjectNode out = JSON.createObjectNode().put("id", "chatcmpl-loopback").put("object", "chat.completion")
                    .put("created", 1).put("model", body.path("model").asText());
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", content);
            choice.put("finish_reason", "stop");
            int promptTokens = Math.max(1, prompt.length() / 4);
            int completionTokens = Math.max(1, content.length() / 4);
            out.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
            send(ex, 200, out.toString());
        }
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
