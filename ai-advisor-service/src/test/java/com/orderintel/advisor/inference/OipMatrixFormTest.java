package com.orderintel.advisor.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderintel.advisor.support.ServingTestBase;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.OrderRow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single [N, F] tensor that KServe's and MLServer's scikit-learn clients send scores exactly like the named
 * tensors, in every accepted datatype; wrong shapes, lengths and datatypes are 400s that say what was expected.
 */
class OipMatrixFormTest extends ServingTestBase {

    private static final String INFER = "/v2/models/order-anomaly/infer";
    private static final List<String> COMPARED = List.of("is_anomaly", "anomaly_score", "approx_probability");
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void ready() throws InterruptedException {
        awaitReady();
    }

    @Test
    void metadataDescribesBothFormsForAnomalyAndOnlyNamedForDemand() throws Exception {
        JsonNode anomaly = json.readTree(http.getForObject("/v2/models/order-anomaly", String.class));
        assertThat(anomaly.at("/parameters/input_forms").asText()).isEqualTo("named,matrix");
        assertThat(anomaly.at("/parameters/matrix_columns").asText()).isEqualTo(String.join(",", OrderMetrics.FEATURES));
        assertThat(anomaly.at("/parameters/matrix_form").asText()).contains("[N, 3]", "FP32/FP64/INT32/INT64");
        assertThat(anomaly.get("inputs").findValuesAsText("name")).containsExactlyElementsOf(OrderMetrics.FEATURES);

        JsonNode demand = json.readTree(http.getForObject("/v2/models/demand-forecast", String.class));
        assertThat(demand.at("/parameters/input_forms").asText()).isEqualTo("named");
        assertThat(demand.at("/parameters/matrix_form").asText()).startsWith("not supported");
        ObjectNode req = json.createObjectNode();
        req.putArray("inputs").add(matrix("input-0", "FP64", 1, 4, List.of(1.0, 2.0, 3.0, 4.0), false));
        ResponseEntity<String> refused = post("/v2/models/demand-forecast/infer", req.toString());
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(error(refused)).contains("unknown input 'input-0'");
    }

    @Test
    void matrixFormScoresExactlyLikeNamedTensorsInEveryDatatype() throws Exception {
        List<OrderRow> rows = MODELS.orderRows.subList(600, 640);
        JsonNode named = infer(named(rows, "FP64", OrderRow::avgProcessingMs, OrderRow::itemCount, OrderRow::paymentScore));
        for (String datatype : List.of("FP64", "FP32")) {
            for (boolean nested : List.of(false, true)) {
                JsonNode viaMatrix = infer(matrixRequest(rows, datatype, nested, OrderRow::avgProcessingMs,
                        OrderRow::itemCount, OrderRow::paymentScore));
                assertSameOutputs(viaMatrix, named, rows.size());
            }
        }
        // INT32/INT64: integral features (payment score 0 or 1), compared with the same values as named tensors
        ToDoubleFunction<OrderRow> ms = r -> Math.round(r.avgProcessingMs());
        ToDoubleFunction<OrderRow> pay = r -> r.paymentScore() >= 0.5 ? 1 : 0;
        JsonNode namedInts = infer(named(rows, "INT64", ms, OrderRow::itemCount, pay));
        for (String datatype : List.of("INT64", "INT32")) {
            assertSameOutputs(infer(matrixRequest(rows, datatype, false, ms, OrderRow::itemCount, pay)), namedInts,
                    rows.size());
        }
        // and the named form's scores are the model's own
        assertThat(output(named, "anomaly_score").get(0).asDouble())
                .isEqualTo(MODELS.anomalyModel.score(OrderMetrics.of(rows.get(0))).score());
    }

    @Test
    void wrongShapeLengthOrDatatypeIsAClear400() throws Exception {
        List<Double> six = List.of(420.0, 3.0, 0.9, 9800.0, 41.0, 0.05);
        assertBadRequest(matrix("input-0", "FP32", 3, 2, six, false), "has shape [3, 2] (2 columns); expected shape "
                + "[N, 3] with columns [avg_processing_ms, item_count, payment_score]");
        assertBadRequest(matrix("input-0", "FP32", 3, 3, six, false), "has 6 elements but shape [3, 3] needs 9");
        assertBadRequest(matrix("input-0", "BYTES", 2, 3, six, false), "has datatype BYTES; a single [N, 3] tensor "
                + "needs one of [FP32, FP64, INT32, INT64]");
        assertBadRequest(matrix("input-0", "FP16", 2, 3, six, false), "has datatype FP16");
        assertBadRequest(matrix("input-0", "INT64", 2, 3, six, false),
                "element 2 (row 0, column 'payment_score') is 0.9, not an integer");
        ObjectNode flat = matrix("input-0", "FP64", 2, 3, six, false);
        flat.putArray("shape").add(6);
        assertBadRequest(flat, "has shape [6]; expected shape [N, 3]");
        // the model's own rules apply as in the named form
        assertBadRequest(matrix("input-0", "FP64", 2, 3, List.of(420.0, 3.0, 0.9, 9800.0, 41.0, 1.5), false),
                "input 'payment_score' element 1: must be between 0 and 1");
        // two tensors of unknown names: the named form's error, naming the matrix alternative
        ObjectNode two = json.createObjectNode();
        two.putArray("inputs").add(matrix("input-0", "FP64", 2, 3, six, false)).add(matrix("input-1", "FP64", 2, 3, six, false));
        ResponseEntity<String> res = post(INFER, two.toString());
        assertThat(res.getStatusCode().value()).isEqualTo(400);
        assertThat(error(res)).contains("unknown input 'input-0'", "or a single [N, 3] tensor of any name");
    }

    private void assertBadRequest(ObjectNode tensor, String expected) throws Exception {
        ObjectNode req = json.createObjectNode();
        req.putArray("inputs").add(tensor);
        ResponseEntity<String> res = post(INFER, req.toString());
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(400);
        assertThat(error(res)).contains(expected);
    }

    private void assertSameOutputs(JsonNode actual, JsonNode expected, int n) {
        for (String name : COMPARED) {
            assertThat(output(actual, name)).as(name).hasSize(n).isEqualTo(output(expected, name));
        }
    }

    @SafeVarargs
    private ObjectNode named(List<OrderRow> rows, String datatype, ToDoubleFunction<OrderRow>... features) {
        ObjectNode req = json.createObjectNode();
        ArrayNode inputs = req.putArray("inputs");
        for (int c = 0; c < features.length; c++) {
            ObjectNode t = inputs.addObject().put("name", OrderMetrics.FEATURES.get(c)).put("datatype", datatype);
            t.putArray("shape").add(rows.size());
            ArrayNode data = t.putArray("data");
            for (OrderRow r : rows) {
                addNumber(data, features[c].applyAsDouble(r), datatype);
            }
        }
        return req;
    }

    @SafeVarargs
    private ObjectNode matrixRequest(List<OrderRow> rows, String datatype, boolean nested,
                                     ToDoubleFunction<OrderRow>... features) {
        List<Double> values = rows.stream().flatMap(r -> java.util.Arrays.stream(features).map(f -> f.applyAsDouble(r)))
                .toList();
        ObjectNode req = json.createObjectNode();
        req.putArray("inputs").add(matrix("input-0", datatype, rows.size(), features.length, values, nested));
        return req;
    }

    private ObjectNode matrix(String name, String datatype, int n, int f, List<Double> values, boolean nested) {
        ObjectNode t = json.createObjectNode().put("name", name).put("datatype", datatype);
        t.putArray("shape").add(n).add(f);
        ArrayNode data = t.putArray("data");
        for (int i = 0; i < values.size(); i++) {
            ArrayNode target = nested ? (i % f == 0 ? data.addArray() : (ArrayNode) data.get(data.size() - 1)) : data;
            addNumber(target, values.get(i), datatype);
        }
        return t;
    }

    private static void addNumber(ArrayNode data, double v, String datatype) {
        if (datatype.startsWith("INT") && v == Math.rint(v)) {
            data.add((long) v);
        } else {
            data.add(v);
        }
    }

    private JsonNode infer(ObjectNode request) throws Exception {
        ResponseEntity<String> res = post(INFER, request.toString());
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        return json.readTree(res.getBody());
    }

    private String error(ResponseEntity<String> res) throws Exception {
        return json.readTree(res.getBody()).get("error").asText();
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
