package com.orderintel.advisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderintel.advisor.support.ServingTestBase;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every endpoint over HTTP against models trained in the test, compared with the models' offline predictions. */
class ServingIntegrationTest extends ServingTestBase {

    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void ready() throws InterruptedException {
        awaitReady();
    }

    @Test
    void singleForecastMatchesTheOfflineModel() throws Exception {
        for (DemandRow r : MODELS.demandRows.subList(0, 20)) {
            ResponseEntity<String> res = post("/api/v1/forecast", forecastJson(r).toString());
            assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
            JsonNode body = json.readTree(res.getBody());
            double offline = MODELS.demandModel.predict(query(r));
            assertThat(body.get("predicted_demand").asDouble()).isEqualTo(offline);
            assertThat(body.get("product_id").asText()).isEqualTo(r.productId());
            assertThat(body.get("date").asText()).isEqualTo(r.date().toString());
            assertThat(body.at("/model/name").asText()).isEqualTo("demand-forecast");
            assertThat(body.at("/model/version").asText()).isEqualTo("v1");
            assertThat(body.get("prediction_id").asText()).isNotBlank();
        }
    }

    @Test
    void batchForecastMatchesTheOfflineModelInOrder() throws Exception {
        List<DemandRow> rows = MODELS.demandRows.subList(100, 350);
        ArrayNode items = json.createArrayNode();
        rows.forEach(r -> items.add(forecastJson(r)));
        ResponseEntity<String> res = post("/api/v1/forecast/batch", json.createObjectNode().set("items", items).toString());
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        JsonNode predictions = json.readTree(res.getBody()).get("predictions");
        assertThat(predictions).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(predictions.get(i).get("predicted_demand").asDouble())
                    .isEqualTo(MODELS.demandModel.predict(query(rows.get(i))));
            assertThat(predictions.get(i).get("product_id").asText()).isEqualTo(rows.get(i).productId());
        }
    }

    @Test
    void singleAndBatchAnomalyScoresMatchTheOfflineModel() throws Exception {
        List<OrderRow> rows = MODELS.orderRows.subList(0, 300);
        for (OrderRow r : rows.subList(0, 20)) {
            ResponseEntity<String> res = post("/api/v1/anomaly", anomalyJson(r).toString());
            assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
            assertAnomaly(json.readTree(res.getBody()), r);
        }
        ArrayNode items = json.createArrayNode();
        rows.forEach(r -> items.add(anomalyJson(r)));
        ResponseEntity<String> res = post("/api/v1/anomaly/batch", json.createObjectNode().set("items", items).toString());
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        JsonNode predictions = json.readTree(res.getBody()).get("predictions");
        assertThat(predictions).hasSize(rows.size());
        int flagged = 0;
        for (int i = 0; i < rows.size(); i++) {
            assertAnomaly(predictions.get(i), rows.get(i));
            flagged += predictions.get(i).get("is_anomaly").asBoolean() ? 1 : 0;
        }
        assertThat(flagged).as("the generated data has anomalies and the model finds some").isPositive();
    }

    @Test
    void modelsEndpointsShowTheManifests() throws Exception {
        JsonNode list = json.readTree(http.getForObject("/api/v1/models", String.class));
        assertThat(list).hasSize(2);
        assertThat(list.findValuesAsText("name")).contains("demand-forecast", "order-anomaly");

        ResponseEntity<String> res = http.getForEntity("/api/v1/models/order-anomaly", String.class);
        assertThat(res.getStatusCode().value()).isEqualTo(200);
        JsonNode m = json.readTree(res.getBody());
        assertThat(m.get("version").asText()).isEqualTo("v1");
        assertThat(m.get("slot").asText()).isEqualTo("anomaly");
        assertThat(m.get("uri").asText()).isEqualTo(MODELS.anomalyUri);
        assertThat(m.at("/metrics/precision").asDouble())
                .isEqualTo(MODELS.anomalyManifest.metrics().get("precision"));
        assertThat(m.at("/manifest/artifact/sha256").asText()).isEqualTo(MODELS.anomalyManifest.artifact().sha256());
        assertThat(m.at("/manifest/features/0/name").asText()).isEqualTo("avg_processing_ms");
        assertThat(m.at("/manifest/created_at").asText()).isNotBlank();

        ResponseEntity<String> missing = http.getForEntity("/api/v1/models/nope", String.class);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(json.readTree(missing.getBody()).get("detail").asText()).contains("'nope'");
    }

    @Test
    void openInferenceProtocolServesBothModels() throws Exception {
        assertThat(http.getForEntity("/v2/health/live", String.class).getStatusCode().value()).isEqualTo(200);
        assertThat(http.getForEntity("/v2/health/ready", String.class).getStatusCode().value()).isEqualTo(200);
        assertThat(http.getForEntity("/v2/models/order-anomaly/ready", String.class).getStatusCode().value()).isEqualTo(200);

        JsonNode meta = json.readTree(http.getForObject("/v2/models/order-anomaly", String.class));
        assertThat(meta.get("name").asText()).isEqualTo("order-anomaly");
        assertThat(meta.get("versions").get(0).asText()).isEqualTo("v1");
        assertThat(meta.get("inputs").findValuesAsText("name")).containsExactly("avg_processing_ms", "item_count", "payment_score");
        assertThat(meta.get("outputs").findValuesAsText("name")).contains("is_anomaly", "anomaly_score", "approx_probability");
        assertThat(json.readTree(http.getForObject("/v2/models/demand-forecast/versions/v1", String.class))
                .get("inputs").findValuesAsText("datatype")).containsExactly("BYTES", "BYTES", "FP64", "INT32");

        List<OrderRow> rows = MODELS.orderRows.subList(500, 510);
        ObjectNode req = json.createObjectNode().put("id", "req-42");
        ArrayNode inputs = req.putArray("inputs");
        inputs.add(tensor("avg_processing_ms", "FP64", rows.stream().map(OrderRow::avgProcessingMs).toList()));
        inputs.add(tensor("item_count", "FP64", rows.stream().map(OrderRow::itemCount).toList()));
        // nested [N,1] form is accepted too (row-major)
        ObjectNode payment = tensor("payment_score", "FP64", List.of());
        payment.putArray("shape").add(rows.size()).add(1);
        ArrayNode nested = payment.putArray("data");
        rows.forEach(r -> nested.addArray().add(r.paymentScore()));
        inputs.add(payment);
        ResponseEntity<String> res = post("/v2/models/order-anomaly/infer", req.toString());
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        JsonNode body = json.readTree(res.getBody());
        assertThat(body.get("id").asText()).isEqualTo("req-42");
        assertThat(body.get("model_name").asText()).isEqualTo("order-anomaly");
        assertThat(body.get("model_version").asText()).isEqualTo("v1");
        JsonNode scores = output(body, "anomaly_score");
        JsonNode flags = output(body, "is_anomaly");
        assertThat(output(body, "anomaly_score").size()).isEqualTo(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            AnomalyResult offline = MODELS.anomalyModel.score(OrderMetrics.of(rows.get(i)));
            assertThat(scores.get(i).asDouble()).isEqualTo(offline.score());
            assertThat(flags.get(i).asBoolean()).isEqualTo(offline.anomalous());
        }

        List<DemandRow> drows = MODELS.demandRows.subList(0, 5);
        ObjectNode dreq = json.createObjectNode();
        ArrayNode dinputs = dreq.putArray("inputs");
        dinputs.add(tensor("date", "BYTES", drows.stream().map(r -> r.date().toString()).toList()));
        dinputs.add(tensor("product_id", "BYTES", drows.stream().map(DemandRow::productId).toList()));
        dinputs.add(tensor("avg_basket_value", "FP64", drows.stream().map(DemandRow::avgBasketValue).toList()));
        dinputs.add(tensor("promo_flag", "INT32", drows.stream().map(DemandRow::promoFlag).toList()));
        dreq.putArray("outputs").addObject().put("name", "predicted_demand");
        JsonNode dbody = json.readTree(post("/v2/models/demand-forecast/versions/v1/infer", dreq.toString()).getBody());
        assertThat(dbody.get("outputs")).hasSize(1);
        JsonNode demand = output(dbody, "predicted_demand");
        for (int i = 0; i < drows.size(); i++) {
            assertThat(demand.get(i).asDouble()).isEqualTo(MODELS.demandModel.predict(query(drows.get(i))));
        }
    }

    @Test
    void openInferenceProtocolErrorsAreErrorObjects() throws Exception {
        ResponseEntity<String> unknownModel = http.getForEntity("/v2/models/nope", String.class);
        assertThat(unknownModel.getStatusCode().value()).isEqualTo(404);
        assertThat(json.readTree(unknownModel.getBody()).get("error").asText()).contains("'nope'");

        ResponseEntity<String> unknownVersion = http.getForEntity("/v2/models/order-anomaly/versions/v9", String.class);
        assertThat(unknownVersion.getStatusCode().value()).isEqualTo(404);
        assertThat(json.readTree(unknownVersion.getBody()).get("error").asText()).contains("v9");

        ObjectNode bad = json.createObjectNode();
        ArrayNode inputs = bad.putArray("inputs");
        inputs.add(tensor("avg_processing_ms", "FP64", List.of(100.0, 200.0)));
        inputs.add(tensor("item_count", "FP64", List.of(3.0, 4.0)));
        inputs.add(tensor("payment_score", "FP64", List.of(0.5, 1.5)));
        ResponseEntity<String> outOfRange = post("/v2/models/order-anomaly/infer", bad.toString());
        assertThat(outOfRange.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(outOfRange.getBody()).get("error").asText())
                .isEqualTo("input 'payment_score' element 1: must be between 0 and 1");

        ObjectNode missing = json.createObjectNode();
        missing.putArray("inputs").add(tensor("avg_processing_ms", "FP64", List.of(1.0)));
        ResponseEntity<String> res = post("/v2/models/order-anomaly/infer", missing.toString());
        assertThat(res.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(res.getBody()).get("error").asText()).contains("missing input 'item_count'");

        // Each model accepts its own inputs only: a demand tensor sent to the anomaly model is named and refused,
        // while the anomaly model's optional order_id is accepted.
        ObjectNode foreign = json.createObjectNode();
        ArrayNode fin = foreign.putArray("inputs");
        fin.add(tensor("avg_processing_ms", "FP64", List.of(100.0)));
        fin.add(tensor("item_count", "FP64", List.of(3.0)));
        fin.add(tensor("payment_score", "FP64", List.of(0.5)));
        fin.add(tensor("promo_flag", "FP64", List.of(1.0)));
        ResponseEntity<String> unknownInput = post("/v2/models/order-anomaly/infer", foreign.toString());
        assertThat(unknownInput.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(unknownInput.getBody()).get("error").asText()).contains("unknown input 'promo_flag'");
        ((ArrayNode) foreign.get("inputs")).remove(3);
        ObjectNode orderId = ((ArrayNode) foreign.get("inputs")).addObject();
        orderId.put("name", "order_id").put("datatype", "BYTES").putArray("shape").add(1);
        orderId.putArray("data").add("o-9");
        assertThat(post("/v2/models/order-anomaly/infer", foreign.toString()).getStatusCode().value()).isEqualTo(200);

        ResponseEntity<String> malformed = post("/v2/models/order-anomaly/infer", "{\"inputs\": [");
        assertThat(malformed.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(malformed.getBody()).has("error")).isTrue();
    }

    @Test
    void feedbackUpdatesRollingAccuracy() throws Exception {
        DemandRow r = MODELS.demandRows.get(7);
        JsonNode forecast = json.readTree(post("/api/v1/forecast", forecastJson(r).toString()).getBody());
        double predicted = forecast.get("predicted_demand").asDouble();
        String id = forecast.get("prediction_id").asText();
        ResponseEntity<String> fb = post("/api/v1/feedback",
                json.createObjectNode().put("prediction_id", id).put("actual_demand", predicted + 10).toString());
        assertThat(fb.getStatusCode().value()).as(fb.getBody()).isEqualTo(200);
        assertThat(json.readTree(fb.getBody()).get("rolling_mae").asDouble()).isPositive();

        ResponseEntity<String> again = post("/api/v1/feedback",
                json.createObjectNode().put("prediction_id", id).put("actual_demand", predicted).toString());
        assertThat(again.getStatusCode().value()).isEqualTo(409);

        ResponseEntity<String> unknown = post("/api/v1/feedback",
                json.createObjectNode().put("prediction_id", "nope-1").put("actual_demand", 1).toString());
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(json.readTree(unknown.getBody()).get("detail").asText()).contains("nope-1");

        JsonNode score = json.readTree(post("/api/v1/anomaly", anomalyJson(MODELS.orderRows.get(3)).toString()).getBody());
        ResponseEntity<String> wrongField = post("/api/v1/feedback", json.createObjectNode()
                .put("prediction_id", score.get("prediction_id").asText()).put("actual_demand", 3).toString());
        assertThat(wrongField.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(wrongField.getBody()).get("field").asText()).isEqualTo("actual_label");
    }

    @Test
    void openApiDocumentDescribesTheApi() throws Exception {
        ResponseEntity<String> res = http.getForEntity("/v3/api-docs", String.class);
        assertThat(res.getStatusCode().value()).isEqualTo(200);
        JsonNode doc = json.readTree(res.getBody());
        assertThat(doc.get("paths").has("/api/v1/forecast")).isTrue();
        assertThat(doc.get("paths").has("/api/v1/anomaly/batch")).isTrue();
        assertThat(doc.get("paths").has("/v2/models/{name}/infer")).isTrue();
        assertThat(doc.at("/components/schemas/AnomalyRequest/properties").has("payment_score")).isTrue();
        assertThat(doc.at("/components/schemas/ForecastResponse/properties").has("predicted_demand")).isTrue();
    }

    private void assertAnomaly(JsonNode body, OrderRow r) {
        AnomalyResult offline = MODELS.anomalyModel.score(OrderMetrics.of(r));
        assertThat(body.get("order_id").asText()).isEqualTo(r.orderId());
        assertThat(body.get("anomaly_score").asDouble()).isEqualTo(offline.score());
        assertThat(body.get("is_anomaly").asBoolean()).isEqualTo(offline.anomalous());
        assertThat(body.get("approx_probability").asDouble()).isCloseTo(offline.approxProbability(), within(1e-15));
        assertThat(body.at("/model/name").asText()).isEqualTo("order-anomaly");
    }

    private ObjectNode forecastJson(DemandRow r) {
        return json.createObjectNode().put("date", r.date().toString()).put("product_id", r.productId())
                .put("avg_basket_value", r.avgBasketValue()).put("promo_flag", r.promoFlag());
    }

    private ObjectNode anomalyJson(OrderRow r) {
        return json.createObjectNode().put("order_id", r.orderId()).put("avg_processing_ms", r.avgProcessingMs())
                .put("item_count", r.itemCount()).put("payment_score", r.paymentScore());
    }

    private static DemandQuery query(DemandRow r) {
        return new DemandQuery(r.date(), r.productId(), r.avgBasketValue(), r.promoFlag());
    }

    private ObjectNode tensor(String name, String datatype, List<?> values) {
        ObjectNode t = json.createObjectNode().put("name", name).put("datatype", datatype);
        t.putArray("shape").add(values.size());
        ArrayNode data = t.putArray("data");
        values.forEach(v -> data.addPOJO(v));
        return t;
    }

    private static JsonNode output(JsonNode response, String name) {
        for (JsonNode o : response.get("outputs")) {
            if (o.get("name").asText().equals(name)) {
                return o.get("data");
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }
}
