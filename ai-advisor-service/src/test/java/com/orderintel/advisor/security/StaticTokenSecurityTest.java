package com.orderintel.advisor.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.ServingTestBase;
import com.orderintel.dataset.OrderRow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every protected endpoint with the static bearer tokens: 401 without credentials (and with an unknown token),
 * 403 with the wrong role, 2xx with the right one; scoring and probes without credentials. Requests go through a
 * plain java.net.http client so nothing adds a header behind the test's back.
 */
@ExtendWith(OutputCaptureExtension.class)
class StaticTokenSecurityTest extends ServingTestBase {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void ready() throws InterruptedException {
        awaitReady();
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /api/v1/admin/models/reload | none     | 401
            POST | /api/v1/admin/models/reload | bogus    | 401
            POST | /api/v1/admin/models/reload | read     | 403
            POST | /api/v1/admin/models/reload | feedback | 403
            POST | /api/v1/admin/models/reload | admin    | 200
            POST | /api/v1/feedback            | none     | 401
            POST | /api/v1/feedback            | bogus    | 401
            POST | /api/v1/feedback            | read     | 403
            POST | /api/v1/feedback            | feedback | 200
            POST | /api/v1/feedback            | admin    | 200
            GET  | /api/v1/models              | none     | 401
            GET  | /api/v1/models              | feedback | 403
            GET  | /api/v1/models              | read     | 200
            GET  | /api/v1/models              | admin    | 200
            GET  | /api/v1/models/order-anomaly | none    | 401
            GET  | /api/v1/models/order-anomaly | feedback | 403
            GET  | /api/v1/models/order-anomaly | read    | 200
            """)
    void protectedEndpoints(String method, String path, String caller, int expected) throws Exception {
        String body = "POST".equals(method) ? (path.endsWith("feedback") ? feedbackBody() : "") : null;
        HttpResponse<String> res = send(method, path, body, caller);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(expected);
        if (expected == 401 || expected == 403) {
            JsonNode problem = json.readTree(res.body());
            assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(problem.get("type").asText()).isEqualTo("https://order-intelligence.dev/problems/"
                    + (expected == 401 ? "unauthorized" : "forbidden"));
            assertThat(problem.get("status").asInt()).isEqualTo(expected);
            assertThat(problem.get("title").asText()).isNotBlank();
            assertThat(problem.get("instance").asText()).isEqualTo(path);
            assertThat(res.body()).doesNotContain(Credentials.ADMIN_TOKEN, Credentials.READ_TOKEN, "Exception");
        }
        if (expected == 401) {
            assertThat(res.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
    }

    @ParameterizedTest(name = "{0} without credentials -> 200")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/anomaly               | {"order_id":"O-1","avg_processing_ms":1200,"item_count":3,"payment_score":0.5}
            /api/v1/anomaly/batch         | {"items":[{"avg_processing_ms":1200,"item_count":3,"payment_score":0.5}]}
            /api/v1/forecast              | {"date":"2024-08-15","product_id":"SKU-001","avg_basket_value":80,"promo_flag":1}
            /v2/models/order-anomaly/infer | {"inputs":[{"name":"avg_processing_ms","shape":[1],"datatype":"FP64","data":[1200]},{"name":"item_count","shape":[1],"datatype":"FP64","data":[3]},{"name":"payment_score","shape":[1],"datatype":"FP64","data":[0.5]}]}
            /api/v1/enrich                | {"text":"please deliver after 6pm"}
            """)
    void scoringNeedsNoCredentials(String path, String body) throws Exception {
        HttpResponse<String> res = send("POST", path, body, "none");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }

    @Test
    void probesAndScrapingAreOpenButHealthDetailsNeedARole(CapturedOutput output) throws Exception {
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus"}) {
            assertThat(send("GET", probe, null, "none").statusCode()).as(probe).isEqualTo(200);
        }
        JsonNode anonymous = json.readTree(send("GET", "/actuator/health", null, "none").body());
        assertThat(anonymous.get("status").asText()).isEqualTo("UP");
        assertThat(anonymous.has("components")).as("no components/details without a role").isFalse();
        JsonNode reader = json.readTree(send("GET", "/actuator/health", null, "read").body());
        assertThat(reader.get("components").has("readinessState")).isTrue();
        // actuator endpoints other than health/info/prometheus need admin even when exposed (none is here: 401 first)
        assertThat(send("GET", "/actuator/env", null, "none").statusCode()).isEqualTo(401);
        assertThat(output.getAll()).doesNotContain(Credentials.ADMIN_TOKEN, Credentials.READ_TOKEN, Credentials.FEEDBACK_TOKEN);
    }

    private String feedbackBody() throws Exception {
        OrderRow row = MODELS.orderRows.get(5);
        String order = "{\"order_id\":\"" + row.orderId() + "\",\"avg_processing_ms\":" + row.avgProcessingMs()
                + ",\"item_count\":" + row.itemCount() + ",\"payment_score\":" + row.paymentScore() + "}";
        // scored by an authenticated caller: a prediction made for an anonymous one takes no feedback (422)
        String id = json.readTree(send("POST", "/api/v1/anomaly", order, "read").body()).get("prediction_id").asText();
        return "{\"prediction_id\":\"" + id + "\",\"actual_label\":1}";
    }

    private HttpResponse<String> send(String method, String path, String body, String caller) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.getRootUri() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        String token = switch (caller) {
            case "admin" -> Credentials.ADMIN_TOKEN;
            case "read" -> Credentials.READ_TOKEN;
            case "feedback" -> Credentials.FEEDBACK_TOKEN;
            case "bogus" -> "not-a-token-of-this-service-000";
            default -> null;
        };
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
