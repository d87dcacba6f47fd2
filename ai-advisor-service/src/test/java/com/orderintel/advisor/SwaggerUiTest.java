package com.orderintel.advisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.ServingTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Swagger UI is served by the app itself (webjar, no CDN) and every request body in the API has an example. */
class SwaggerUiTest extends ServingTestBase {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    @LocalServerPort
    int port;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void swaggerUiHtmlRedirectsToTheBundledUi() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<String> page = client.send(get("/swagger-ui.html"), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.uri().getPath()).isEqualTo("/swagger-ui/index.html");
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.body()).contains("<div id=\"swagger-ui\">", "swagger-ui-bundle.js")
                    .doesNotContain("https://", "http://cdn", "unpkg", "jsdelivr");

            // the UI's own assets come from this app, and its configuration points at our OpenAPI document
            HttpResponse<String> bundle = client.send(get("/swagger-ui/swagger-ui-bundle.js"), HttpResponse.BodyHandlers.ofString());
            assertThat(bundle.statusCode()).isEqualTo(200);
            assertThat(bundle.body().length()).isGreaterThan(100_000);
            HttpResponse<String> config = client.send(get("/v3/api-docs/swagger-config"), HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(json.readTree(config.body()).get("url").asText()).isEqualTo("/v3/api-docs");
        }
    }

    @Test
    void everyOperationWithARequestBodyHasAnExample() throws Exception {
        JsonNode doc = json.readTree(http.getForObject("/v3/api-docs", String.class));
        List<String> withBody = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            for (String method : METHODS) {
                JsonNode body = path.getValue().path(method).path("requestBody");
                if (body.isMissingNode()) {
                    continue;
                }
                String op = method.toUpperCase() + " " + path.getKey();
                withBody.add(op);
                JsonNode content = body.path("content");
                if (content.isEmpty()) {
                    missing.add(op + " (no content)");
                }
                for (Map.Entry<String, JsonNode> media : content.properties()) {
                    JsonNode m = media.getValue();
                    boolean hasExample = m.hasNonNull("example") || !m.path("examples").isEmpty()
                            || !resolve(doc, m.path("schema")).path("example").isMissingNode();
                    if (!hasExample) {
                        missing.add(op + " " + media.getKey());
                    }
                    m.path("examples").forEach(e -> assertThat(e.path("value").isMissingNode())
                            .as(op + " example without a value").isFalse());
                }
            }
        }
        assertThat(withBody).as("operations with a request body").contains("POST /api/v1/anomaly",
                "POST /api/v1/anomaly/batch", "POST /api/v1/forecast", "POST /api/v1/forecast/batch",
                "POST /api/v1/feedback", "POST /api/v1/admin/models/reload", "POST /api/v1/enrich",
                "POST /v2/models/{name}/infer", "POST /v2/models/{name}/versions/{version}/infer");
        assertThat(missing).as("operations whose request body has no example").isEmpty();
        // the OIP examples include the [N, F] form, and they parse as JSON
        JsonNode examples = doc.at("/paths/~1v2~1models~1{name}~1infer/post/requestBody/content/application~1json/examples");
        assertThat(examples.size()).isEqualTo(3);
        for (JsonNode e : examples) {
            JsonNode value = e.get("value").isTextual() ? json.readTree(e.get("value").asText()) : e.get("value");
            assertThat(value.get("inputs").isArray()).isTrue();
        }
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/") ? doc.at(ref.substring(1)) : schema;
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
    }
}
