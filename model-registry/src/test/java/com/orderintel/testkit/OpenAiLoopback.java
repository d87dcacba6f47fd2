package com.orderintel.testkit;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test double for an LLM provider (no real one is reachable here): a loopback HTTP server (127.0.0.1, ephemeral
 * port) speaking the OpenAI wire format of {@code POST /v1/embeddings} ({@code {"object":"list","data":[{"object":
 * "embedding","index":0,"embedding":[...]}],"model":...,"usage":{...}}}) and {@code POST /v1/chat/completions}
 * ({@code {"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":...},
 * "finish_reason":"stop"}],"usage":{...}}}), and Azure OpenAI's same bodies under
 * {@code /openai/deployments/<deployment>/...}. A chat request is checked the way the API does (JSON body,
 * {@code model} (Azure: the deployment), {@code messages[].role/content}; 400 with an OpenAI error object otherwise). Chats are answered by
 * {@link #model} (by default {@link #chatContent} with 50 prompt and 20 completion tokens); embeddings with a
 * deterministic vector per input ({@link #vectorFor}). Each endpoint can be switched to misbehave: slow, HTTP 500 or
 * malformed. Shared by the service's, the runner's and the end-to-end tests.
 */
public final class OpenAiLoopback implements AutoCloseable {

    public enum Mode { OK, SLOW, ERROR_500, MALFORMED }

    /** A chat answer: the assistant's content and the usage the provider reports. */
    public record Answer(String content, int promptTokens, int completionTokens) { }

    public static final int DIMS = 8;
    public static final String CHAT_CONTENT = "{\"summary\": \"Customer wants the parcel left at the side door.\", \"category\": \"delivery\"}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Every request body, both endpoints, as sent. */
    public final List<String> requestBodies = new CopyOnWriteArrayList<>();
    /** Every well-formed chat request, parsed. */
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final List<String> azureRequests = new CopyOnWriteArrayList<>();
    public volatile Mode embeddings = Mode.OK;
    public volatile Mode chat = Mode.OK;
    /** What a chat answers in mode OK with the default {@link #model} (the note-features tests set a {@code {"sentiment", "category"}} object). */
    public volatile String chatContent = CHAT_CONTENT;
    /** How a chat in mode OK is answered, from the parsed request. */
    public volatile Function<JsonNode, Answer> model = request -> new Answer(chatContent, 50, 20);
    public volatile String malformedEmbedding = "{\"object\":\"list\",\"data\":[{\"index\":0,\"embedding\":[\"x\",1]}]}";
    public volatile String malformedChatContent = "Sure! The customer wants delivery to the side door.";

    public OpenAiLoopback() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/embeddings", ex -> handle(ex, "embeddings", embeddings, true));
        server.createContext("/v1/chat/completions", ex -> handle(ex, "chat", chat, true));
        // Azure OpenAI: same bodies under /openai/deployments/<deployment>/{embeddings,chat/completions}?api-version=
        server.createContext("/openai/deployments/", ex -> {
            azureRequests.add(ex.getRequestURI().toString() + " api-key=" + ex.getRequestHeaders().getFirst("api-key"));
            boolean emb = ex.getRequestURI().getPath().endsWith("/embeddings");
            handle(ex, emb ? "embeddings" : "chat", emb ? embeddings : chat, false); // the deployment names the model
        });
        server.start();
    }

    /** How the chat endpoint answers from now on. */
    public void chatMode(Mode mode) {
        this.chat = mode;
    }

    public String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String baseUrl() {
        return root() + "/v1";
    }

    /** Requests so far to {@code "embeddings"} or {@code "chat"}. */
    public int calls(String endpoint) {
        return calls.computeIfAbsent(endpoint, k -> new AtomicInteger()).get();
    }

    /** The vector this server returns for a text: deterministic, so tests can compare exactly. */
    public static float[] vectorFor(String input) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = ((input.hashCode() >>> i) & 0xff) / 255f;
        }
        return v;
    }

    private void handle(HttpExchange ex, String endpoint, Mode mode, boolean needsModel) throws IOException {
        try (ex) {
            calls.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requestBodies.add(body);
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, 405, error("method not allowed"));
                return;
            }
            JsonNode request = null;
            if (endpoint.equals("chat")) {
                try {
                    request = JSON.readTree(body);
                } catch (IOException e) {
                    send(ex, 400, error("We could not parse the JSON body of your request."));
                    return;
                }
                if (!wellFormedChat(request, needsModel)) {
                    send(ex, 400, error("'model' and 'messages' with role and content are required"));
                    return;
                }
                requests.add(request);
            }
            switch (mode) {
                case OK -> send(ex, 200, endpoint.equals("chat") ? chatJson(request, model.apply(request)) : embedding(body));
                case SLOW -> {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(ex, 200, endpoint.equals("chat") ? chatJson(request, new Answer(CHAT_CONTENT, 50, 20)) : embedding(body));
                }
                case ERROR_500 -> send(ex, 500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
                case MALFORMED -> send(ex, 200, endpoint.equals("embeddings") ? malformedEmbedding
                        : chatJson(request, new Answer(malformedChatContent, 50, 20)));
            }
        }
    }

    private static boolean wellFormedChat(JsonNode body, boolean needsModel) {
        JsonNode messages = body == null ? null : body.path("messages");
        boolean wellFormed = body != null && (!needsModel || body.path("model").isTextual()) && messages.isArray() && !messages.isEmpty();
        for (JsonNode m : wellFormed ? messages : JSON.createArrayNode()) {
            wellFormed &= m.path("role").isTextual() && m.path("content").isTextual();
        }
        return wellFormed;
    }

    private static String embedding(String requestBody) {
        // the input is the JSON string value of "input"; hashing the raw request keeps it deterministic per text
        String input = requestBody.replaceAll("(?s).*\"input\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1");
        StringBuilder vec = new StringBuilder();
        for (float f : vectorFor(input)) {
            vec.append(vec.isEmpty() ? "" : ",").append(f);
        }
        return "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[" + vec
                + "]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}";
    }

    private static String chatJson(JsonNode request, Answer answer) {
        ObjectNode out = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
                .put("created", 1).put("model", request.path("model").asText("gpt-4o-mini"));
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer.content());
        choice.put("finish_reason", "stop");
        out.putObject("usage").put("prompt_tokens", answer.promptTokens()).put("completion_tokens", answer.completionTokens())
                .put("total_tokens", answer.promptTokens() + answer.completionTokens());
        return out.toString();
    }

    private static String error(String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}";
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
