package com.orderintel.advisor.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static com.orderintel.advisor.llm.LoopbackJson.send;

/**
 * Test double for HashiCorp Vault: a loopback HTTP server (127.0.0.1, ephemeral port) speaking Vault's documented
 * KV secrets engine v2 read API - {@code GET /v1/<mount>/data/<path>} with header {@code X-Vault-Token} answers
 * {@code {"data":{"data":{...},"metadata":{...}}}}; unknown paths 404 {@code {"errors":[]}}; a wrong token 403
 * {@code {"errors":["permission denied"]}} - plus {@code /v1/sys/internal/ui/mounts/<path>} (mount lookup the
 * client uses to detect KV v2), {@code /v1/sys/health} and {@code /v1/auth/token/lookup-self}.
 */
final class VaultKvV2LoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final String token;
    private final Map<String, Map<String, String>> secrets;
    final List<String> requests = new CopyOnWriteArrayList<>();

    /** {@code secrets}: KV v2 path under the mount (e.g. {@code secret/ai-advisor-service}) -> key/values. */
    VaultKvV2LoopbackServer(String token, Map<String, Map<String, String>> secrets) throws IOException {
        this.token = token;
        this.secrets = secrets;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            requests.add(ex.getRequestMethod() + " " + path);
            if (path.equals("/v1/sys/health")) {
                send(ex, 200, "{\"initialized\":true,\"sealed\":false,\"standby\":false,\"version\":\"1.17.0\"}");
                return;
            }
            if (!token.equals(ex.getRequestHeaders().getFirst("X-Vault-Token"))) {
                send(ex, 403, "{\"errors\":[\"permission denied\"]}");
                return;
            }
            if (path.equals("/v1/auth/token/lookup-self")) {
                send(ex, 200, "{\"data\":{\"ttl\":0,\"renewable\":false,\"policies\":[\"advisor\"]}}");
                return;
            }
            // Mount lookup the client uses to detect the KV version (sys/internal/ui/mounts/<path>).
            if (path.startsWith("/v1/sys/internal/ui/mounts/secret")) {
                send(ex, 200, "{\"data\":{\"path\":\"secret/\",\"type\":\"kv\",\"description\":\"key/value secret storage\","
                        + "\"options\":{\"version\":\"2\"}}}");
                return;
            }
            // KV v2: /v1/<mount>/data/<path>
            String[] parts = path.substring("/v1/".length()).split("/data/", 2);
            Map<String, String> secret = parts.length == 2 && "GET".equals(ex.getRequestMethod())
                    ? secrets.get(parts[0] + "/" + parts[1]) : null;
            if (secret == null) {
                send(ex, 404, "{\"errors\":[]}");
                return;
            }
            String data = secret.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(","));
            send(ex, 200, "{\"request_id\":\"1\",\"lease_id\":\"\",\"renewable\":false,\"lease_duration\":0,"
                    + "\"data\":{\"data\":{" + data + "},\"metadata\":{\"created_time\":\"2026-11-25T07:00:00Z\","
                    + "\"custom_metadata\":null,\"deletion_time\":\"\",\"destroyed\":false,\"version\":3}},"
                    + "\"wrap_info\":null,\"warnings\":null,\"auth\":null}");
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
