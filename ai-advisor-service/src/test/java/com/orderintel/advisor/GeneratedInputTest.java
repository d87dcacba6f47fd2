package com.orderintel.advisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.ServingTestBase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated input against the service's own OpenAPI description (/v3/api-docs): for every operation, request bodies
 * built from its JSON schema with a seeded Random - mostly valid-shaped values with boundary numbers, wrong types,
 * nulls, missing and unknown fields, control characters, long strings and odd path parameters - sent as admin so
 * protected operations are exercised past authentication. Asserts, over every input tried: no 5xx, no stack trace
 * or Java class name in any body. Written by hand (a small generator over the schema) rather than with a
 * property-testing library; the seed and the count are printed, so a failure replays.
 */
class GeneratedInputTest extends ServingTestBase {

    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final int INPUTS_PER_OPERATION = Integer.getInteger("fuzz.inputs", 80);
    private static final Duration BUDGET = Duration.ofSeconds(25);
    private static final String[] ODD_STRINGS = {"", " ", "\u0000", "O-\u0000-1", "../../etc/passwd", "%00", "NaN", "Infinity",
            "-1", "1e309", "\u202e\u0007", "x".repeat(5_000), "SKU-001", "2024-02-30", "order-anomaly", "☃", "{}", "null"};

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(SEED);
    private JsonNode components;

    @Test
    void noGeneratedInputGetsA5xxOrAStackTrace() throws Exception {
        awaitReady();
        JsonNode api = json.readTree(send("GET", "/v3/api-docs", null).body());
        components = api.path("components").path("schemas");
        Map<String, Integer> tried = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        // every operation in the description, then round-robin over them until each had its inputs or time is up
        List<String[]> operations = new ArrayList<>(); // method, path template
        List<JsonNode> schemas = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                operations.add(new String[] {op.getKey().toUpperCase(), path.getKey()});
                schemas.add(op.getValue().path("requestBody").path("content").path("application/json").path("schema"));
            }
        }
        long deadline = System.nanoTime() + BUDGET.toNanos();
        for (int i = 0; i < INPUTS_PER_OPERATION && System.nanoTime() < deadline; i++) {
            for (int o = 0; o < operations.size() && System.nanoTime() < deadline; o++) {
                String method = operations.get(o)[0];
                JsonNode schema = schemas.get(o);
                String target = fillPath(operations.get(o)[1]);
                String body = "POST".equals(method) || "PUT".equals(method)
                        ? (schema.isMissingNode() ? (random.nextBoolean() ? "" : json.writeValueAsString(value(null, 0))) : body(schema))
                        : null;
                HttpResponse<String> res = send(method, target, body);
                tried.merge(method + " " + operations.get(o)[1], 1, Integer::sum);
                String raw = res.body() == null ? "" : res.body();
                if (res.statusCode() >= 500 || raw.contains("\tat ") || raw.contains("Exception")
                        || raw.contains("com.fasterxml") || raw.contains("org.springframework") || raw.contains("java.lang")) {
                    failures.add(res.statusCode() + " " + method + " " + target + " <- " + abbreviate(body) + " -> " + abbreviate(raw));
                }
            }
        }
        int total = tried.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("generated-input run: seed %d, %d inputs over %d operations: %s%n", SEED, total, tried.size(), tried);
        assertThat(tried).as("operations found in /v3/api-docs").containsKeys("POST /api/v1/anomaly", "POST /api/v1/forecast/batch",
                "POST /api/v1/feedback", "POST /api/v1/admin/models/reload");
        assertThat(total).as("inputs tried").isGreaterThanOrEqualTo(300);
        assertThat(failures).as("5xx or stack traces (seed %d)", SEED).isEmpty();
    }

    private String body(JsonNode schema) throws Exception {
        return switch (random.nextInt(20)) {
            case 0 -> "{\"items\":[" + "[".repeat(random.nextInt(200)) ;                  // truncated, maybe deep
            case 1 -> "\u0000\u0001";                                                       // not JSON at all
            case 2 -> json.writeValueAsString(value(null, 0));                              // any JSON value
            default -> json.writeValueAsString(value(schema, 0));
        };
    }

    /** A value for {@code schema}: usually of its shape, sometimes deliberately not. */
    private JsonNode value(JsonNode schema, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (schema != null && schema.has("$ref")) {
            schema = components.path(schema.get("$ref").asText().replace("#/components/schemas/", ""));
        }
        int roll = random.nextInt(100);
        if (schema == null || roll < 6) { // wrong shape: anything
            return switch (random.nextInt(6)) {
                case 0 -> f.nullNode();
                case 1 -> f.textNode(ODD_STRINGS[random.nextInt(ODD_STRINGS.length)]);
                case 2 -> f.numberNode(edgeNumber());
                case 3 -> f.booleanNode(random.nextBoolean());
                case 4 -> depth < 6 ? f.arrayNode().add(value(null, depth + 1)) : f.arrayNode();
                default -> f.objectNode().put("unexpected_" + random.nextInt(5), ODD_STRINGS[random.nextInt(ODD_STRINGS.length)]);
            };
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : schema.has("items") ? "array" : "string");
        switch (type) {
            case "object" -> {
                ObjectNode o = f.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    if (random.nextInt(10) > 0 && depth < 8) { // sometimes a field is left out
                        o.set(p.getKey(), value(p.getValue(), depth + 1));
                    }
                }
                if (random.nextInt(10) == 0) {
                    o.put("extra_field", "x");
                }
                return o;
            }
            case "array" -> {
                ArrayNode a = f.arrayNode();
                int n = random.nextInt(12) == 0 ? 1_001 : random.nextInt(4); // sometimes over the batch cap
                for (int i = 0; i < n && depth < 8; i++) {
                    a.add(value(schema.path("items"), depth + 1));
                }
                return a;
            }
            case "integer", "number" -> {
                if (roll < 50) {
                    double min = schema.path("minimum").asDouble(0);
                    double max = schema.path("maximum").asDouble(min + 5_000);
                    return "integer".equals(type) ? f.numberNode((long) (min + random.nextDouble() * (max - min)))
                            : f.numberNode(min + random.nextDouble() * (max - min));
                }
                return f.numberNode(edgeNumber());
            }
            case "boolean" -> {
                return f.booleanNode(random.nextBoolean());
            }
            default -> {
                if (schema.has("enum") && roll < 70) {
                    JsonNode e = schema.get("enum");
                    return e.get(random.nextInt(e.size()));
                }
                if ("date".equals(schema.path("format").asText()) && roll < 60) {
                    return f.textNode(String.format("20%02d-%02d-%02d", random.nextInt(30), 1 + random.nextInt(13), 1 + random.nextInt(31)));
                }
                return f.textNode(roll < 40 ? "SKU-00" + random.nextInt(9) : ODD_STRINGS[random.nextInt(ODD_STRINGS.length)]);
            }
        }
    }

    private double edgeNumber() {
        double[] edges = {0, -0.0, -1, 1, 0.5, 1.0000001, -1e-300, 1e300, Double.MAX_VALUE, -Double.MAX_VALUE, Long.MAX_VALUE, 365, 366, 7};
        return random.nextBoolean() ? edges[random.nextInt(edges.length)] : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20));
    }

    private String fillPath(String template) {
        StringBuilder out = new StringBuilder();
        for (String part : template.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            out.append('/');
            if (part.startsWith("{")) {
                String v = random.nextBoolean() ? List.of("order-anomaly", "demand-forecast", "v1").get(random.nextInt(3))
                        : ODD_STRINGS[random.nextInt(ODD_STRINGS.length)];
                out.append(URLEncoder.encode(v.length() > 200 ? v.substring(0, 200) : v, StandardCharsets.UTF_8).replace("+", "%20"));
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.getRootUri() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + Credentials.ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
