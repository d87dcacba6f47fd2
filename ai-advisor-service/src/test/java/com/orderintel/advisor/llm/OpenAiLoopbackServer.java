package com.orderintel.advisor.llm;

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

import static com.orderintel.advisor.llm.LoopbackJson.send;

/**
 * Test double for an LLM provider: a loopback HTTP server (127.0.0.1, ephemeral port) speaking the OpenAI wire
 * format of {@code POST /v1/embeddings} ({@code {"object":"list","data":[{"object":"embedding","index":0,
 * "embedding":[...]}],"model":...,"usage":{...}}}) and {@code POST /v1/chat/completions}
 * ({@code {"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":...},
 * "finish_reason":"stop"}]}}). Each endpoint can be switched to misbehave: slow, HTTP 500 or malformed.
 */
public final class OpenAiLoopbackServer implements AutoCloseable {

    public enum Mode { OK, SLOW, ERROR_500, MALFORMED }

    static final int DIMS = 8;
    static final String CHAT_CONTENT = "{\"summary\": \"Customer wants the parcel left at the side door.\", \"category\": \"delivery\"}";

    private final HttpServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<String> requestBodies = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> azureRequests = new CopyOnWriteArrayList<>();
    volatile Mode embeddings = Mode.OK;
    volatile Mode chat = Mode.OK;
    /** What a chat answers in mode OK (the note-features tests set a {@code {"sentiment", "category"}} object). */
    volatile String chatContent = CHAT_CONTENT;

    /** How the chat endpoint answers from now on (for tests outside this package). */
    public void chatMode(Mode mode) {
        this.chat = mode;
    }
    volatile String malformedEmbedding = "{\"object\":\"list\",\"data\":[{\"index\":0,\"embedding\":[\"x\",1]}]}";
    volatile String malformedChatContent = "Sure! The customer wants delivery to the side door.";

    public OpenAiLoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/embeddings", ex -> handle(ex, "embeddings", embeddings));
        server.createContext("/v1/chat/completions", ex -> handle(ex, "chat", chat));
        // Azure OpenAI: same bodies under /openai/deployments/<deployment>/{embeddings,chat/completions}?api-version=
        server.createContext("/openai/deployments/", ex -> {
            azureRequests.add(ex.getRequestURI().toString() + " api-key=" + ex.getRequestHeaders().getFirst("api-key"));
            boolean emb = ex.getRequestURI().getPath().endsWith("/embeddings");
            handle(ex, emb ? "embeddings" : "chat", emb ? embeddings : chat);
        });
        server.start();
    }

    String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    int calls(String endpoint) {
        return calls.computeIfAbsent(endpoint, k -> new AtomicInteger()).get();
    }

    /** The vector this server returns for a text: deterministic, so tests can compare exactly. */
    static float[] vectorFor(String input) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = ((input.hashCode() >>> i) & 0xff) / 255f;
        }
        return v;
    }

    private void handle(HttpExchange ex, String endpoint, Mode mode) throws IOException {
        try (ex) {
            calls.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requestBodies.add(body);
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, 405, "{\"error\":{\"message\":\"method not allowed\"}}");
                return;
            }
            switch (mode) {
                case OK -> send(ex, 200, endpoint.equals("chat") ? chatJson(chatContent) : ok(endpoint, body));
                case SLOW -> {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(ex, 200, ok(endpoint, body));
                }
                case ERROR_500 -> send(ex, 500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
                case MALFORMED -> send(ex, 200, endpoint.equals("embeddings") ? malformedEmbedding : chatJson(malformedChatContent));
            }
        }
    }

    private static String ok(String endpoint, String requestBody) {
        if (endpoint.equals("chat")) {
            return chatJson(CHAT_CONTENT);
        }
        // the input is the JSON string value of "input"; hashing the raw request keeps it deterministic per text
        String input = requestBody.replaceAll("(?s).*\"input\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1");
        StringBuilder vec = new StringBuilder();
        for (float f : vectorFor(input)) {
            vec.append(vec.isEmpty() ? "" : ",").append(f);
        }
        return "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[" + vec
                + "]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}";
    }

    private static String chatJson(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + escaped
                + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":20,\"total_tokens\":70}}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
