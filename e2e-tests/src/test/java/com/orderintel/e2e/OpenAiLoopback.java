package com.orderintel.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in LLM provider (no real one is reachable here): a loopback HTTP server speaking the OpenAI wire format of
 * {@code POST /v1/embeddings} and {@code POST /v1/chat/completions}, answering at once with a fixed 8-dimension
 * vector and a fixed summary. Only the service's cache path is under test, not the provider.
 */
final class OpenAiLoopback implements AutoCloseable {

    private final HttpServer server;
    final AtomicInteger embeddingCalls = new AtomicInteger();

    OpenAiLoopback() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/embeddings", ex -> {
            embeddingCalls.incrementAndGet();
            send(ex, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
                    + "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]}],\"model\":\"text-embedding-3-small\","
                    + "\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}");
        });
        server.createContext("/v1/chat/completions", ex -> send(ex, "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"summary\\\": \\\"Leave at the side door.\\\", "
                + "\\\"category\\\": \\\"delivery\\\"}\"},\"finish_reason\":\"stop\"}]}"));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static void send(HttpExchange ex, String json) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
