package com.orderintel.advisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.ServingTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of bad input gets 400 with an RFC 7807 problem naming the field, and never a stack trace. */
class BadInputTest extends ServingTestBase {

    private static final String GOOD_ORDER = "\"order_id\":\"O-1\",\"avg_processing_ms\":1200,\"item_count\":3,\"payment_score\":0.7";
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void ready() throws InterruptedException {
        awaitReady();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing payment_score   | /api/v1/anomaly           | {"order_id":"O-1","avg_processing_ms":1200,"item_count":3}                         | payment_score      | is required
            NaN processing time     | /api/v1/anomaly           | {"avg_processing_ms":"NaN","item_count":3,"payment_score":0.5}                     | avg_processing_ms  | finite
            infinite item count     | /api/v1/anomaly           | {"avg_processing_ms":10,"item_count":"Infinity","payment_score":0.5}               | item_count         | finite
            negative processing ms  | /api/v1/anomaly           | {"avg_processing_ms":-5,"item_count":3,"payment_score":0.5}                        | avg_processing_ms  | greater than or equal to 0
            payment_score above 1   | /api/v1/anomaly           | {"avg_processing_ms":5,"item_count":3,"payment_score":1.2}                         | payment_score      | between 0 and 1
            text for a number       | /api/v1/anomaly           | {"avg_processing_ms":"fast","item_count":3,"payment_score":0.5}                    | avg_processing_ms  | wrong type
            promo_flag 2            | /api/v1/forecast          | {"date":"2024-08-15","product_id":"SKU-001","avg_basket_value":80,"promo_flag":2}   | promo_flag         | 0 or 1
            promo_flag 0.5          | /api/v1/forecast          | {"date":"2024-08-15","product_id":"SKU-001","avg_basket_value":80,"promo_flag":0.5} | promo_flag         | 0 or 1
            bad date                | /api/v1/forecast          | {"date":"2024-13-45","product_id":"SKU-001","avg_basket_value":80,"promo_flag":1}   | date               | wrong type or format
            missing date            | /api/v1/forecast          | {"product_id":"SKU-001","avg_basket_value":80,"promo_flag":1}                       | date               | is required
            blank product           | /api/v1/forecast          | {"date":"2024-08-15","product_id":" ","avg_basket_value":80,"promo_flag":1}         | product_id         | is required
            unknown product         | /api/v1/forecast          | {"date":"2024-08-15","product_id":"SKU-999","avg_basket_value":80,"promo_flag":1}   | product_id         | unknown product_id 'SKU-999'
            negative basket value   | /api/v1/forecast          | {"date":"2024-08-15","product_id":"SKU-001","avg_basket_value":-1,"promo_flag":1}   | avg_basket_value   | greater than or equal to 0
            batch without items     | /api/v1/anomaly/batch     | {}                                                                                 | items              | is required
            empty batch             | /api/v1/forecast/batch    | {"items":[]}                                                                       | items              | at least one
            feedback without id     | /api/v1/feedback          | {"actual_demand":3}                                                                | prediction_id      | is required
            """)
    void badFieldIsNamedInTheProblem(String label, String path, String body, String field, String message) throws Exception {
        ResponseEntity<String> res = post(path, body);
        JsonNode problem = assertProblem(res, 400);
        assertThat(problem.get("field").asText()).as(label).isEqualTo(field);
        assertThat(problem.get("detail").asText()).as(label).startsWith(field + ": ").contains(message);
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    @Test
    void batchErrorsNameTheItemIndex() throws Exception {
        String body = "{\"items\":[{" + GOOD_ORDER + "},{" + GOOD_ORDER + "},{" + GOOD_ORDER + "},"
                + "{\"avg_processing_ms\":5,\"item_count\":3,\"payment_score\":-0.1}]}";
        JsonNode problem = assertProblem(post("/api/v1/anomaly/batch", body), 400);
        assertThat(problem.get("field").asText()).isEqualTo("items[3].payment_score");

        String typeError = "{\"items\":[{" + GOOD_ORDER + "},{\"avg_processing_ms\":[1],\"item_count\":3,\"payment_score\":0.1}]}";
        assertThat(assertProblem(post("/api/v1/anomaly/batch", typeError), 400).get("field").asText())
                .isEqualTo("items[1].avg_processing_ms");

        String unknownProduct = "{\"items\":[{\"date\":\"2024-08-15\",\"product_id\":\"SKU-001\",\"avg_basket_value\":80,\"promo_flag\":1},"
                + "{\"date\":\"2024-08-15\",\"product_id\":\"SKU-404\",\"avg_basket_value\":80,\"promo_flag\":1}]}";
        assertThat(assertProblem(post("/api/v1/forecast/batch", unknownProduct), 400).get("field").asText())
                .isEqualTo("items[1].product_id");
    }

    @Test
    void oversizedBatchNamesTheLimit() throws Exception {
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 1001; i++) {
            body.append(i == 0 ? "" : ",").append('{').append(GOOD_ORDER).append('}');
        }
        body.append("]}");
        JsonNode problem = assertProblem(post("/api/v1/anomaly/batch", body.toString()), 400);
        assertThat(problem.get("field").asText()).isEqualTo("items");
        assertThat(problem.get("detail").asText()).contains("1001 records", "limit is 1000", "advisor.api.max-batch-size");
    }

    @Test
    void malformedJsonIsAProblemWithoutStackTrace() throws Exception {
        JsonNode problem = assertProblem(post("/api/v1/anomaly", "{\"avg_processing_ms\": 12,,}"), 400);
        assertThat(problem.get("type").asText()).endsWith("/malformed-json");
        assertThat(problem.get("detail").asText()).contains("not valid JSON", "line 1");

        JsonNode empty = assertProblem(post("/api/v1/forecast", ""), 400);
        assertThat(empty.get("detail").asText()).containsIgnoringCase("body");
    }

    @Test
    void wrongMediaTypeAndMethodAreProblemsToo() throws Exception {
        ResponseEntity<String> text = http.postForEntity("/api/v1/anomaly", "hello", String.class);
        assertThat(text.getStatusCode().value()).isEqualTo(415);
        assertThat(text.getHeaders().getContentType().toString()).contains("application/problem+json");
        ResponseEntity<String> get = http.getForEntity("/api/v1/anomaly", String.class);
        assertThat(get.getStatusCode().value()).isEqualTo(405);
        assertThat(json.readTree(get.getBody()).get("status").asInt()).isEqualTo(405);
    }

    @Test
    void oversizedBodiesAre413ByContentLengthAndWhileStreaming() throws Exception {
        // ~1.6 MB > advisor.api.max-body-size (1MB): refused by Content-Length before a byte is read
        String big = "{\"items\":[" + ("{" + GOOD_ORDER + "},").repeat(20_000) + "{" + GOOD_ORDER + "}]}";
        JsonNode byLength = assertProblem(post("/api/v1/anomaly/batch", big), 413);
        assertThat(byLength.get("type").asText()).endsWith("/body-too-large");
        assertThat(byLength.get("detail").asText()).contains("over the limit of 1048576 bytes");
        // chunked (no Content-Length): refused when the limit is crossed while reading
        java.net.http.HttpResponse<String> chunked = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.getRootUri() + "/api/v1/anomaly/batch"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(big.getBytes()))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(chunked.body()).contains("body-too-large").doesNotContain("Exception", "\tat ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            deep nesting  | depth
            long string   | String value length
            long number   | Number value length
            """)
    void jsonBeyondTheReadConstraintsIs400(String label, String message) throws Exception {
        String body = switch (label) {
            case "deep nesting" -> "{\"extra\":" + "[".repeat(5_000) + "]".repeat(5_000) + "," + GOOD_ORDER + "}";
            case "long string" -> "{\"order_id\":\"" + "x".repeat(200_000) + "\"," + GOOD_ORDER.substring(GOOD_ORDER.indexOf(",") + 1) + "}";
            default -> "{\"avg_processing_ms\":1" + "0".repeat(500) + ",\"item_count\":3,\"payment_score\":0.5}";
        };
        JsonNode problem = assertProblem(post("/api/v1/anomaly", body), 400);
        assertThat(problem.get("type").asText()).as(label).endsWith("/input-too-large");
        assertThat(problem.get("detail").asText()).as(label).contains(message).doesNotContain("StreamReadConstraints");
    }

    @Test
    void batchesOverTheSizeCapAre400() throws Exception {
        String items = ("{" + GOOD_ORDER + "},").repeat(1000) + "{" + GOOD_ORDER + "}";
        JsonNode problem = assertProblem(post("/api/v1/anomaly/batch", "{\"items\":[" + items + "]}"), 400);
        assertThat(problem.get("field").asText()).isEqualTo("items");
    }

    private JsonNode assertProblem(ResponseEntity<String> res, int status) throws Exception {
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(status);
        assertThat(res.getHeaders().getContentType()).hasToString("application/problem+json");
        String raw = res.getBody();
        assertThat(raw).doesNotContain("Exception", "\tat ", "com.fasterxml", "org.springframework");
        JsonNode problem = json.readTree(raw);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).startsWith("https://");
        assertThat(problem.get("instance").asText()).startsWith("/api/v1/");
        return problem;
    }
}
