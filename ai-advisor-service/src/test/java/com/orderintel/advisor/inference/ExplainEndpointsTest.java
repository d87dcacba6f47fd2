package com.orderintel.advisor.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.ServingTestBase;
import com.orderintel.anomaly.AnomalyExplanation;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandFeatures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Explanations on request over REST ({@code ?explain=true}) and the Open Inference Protocol ({@code parameters:
 * {"explain": true}}): the model's own attributions, absent unless asked, and bad values refused by name.
 */
class ExplainEndpointsTest extends ServingTestBase {

    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void ready() throws InterruptedException {
        awaitReady();
    }

    private double median(String feature) {
        return MODELS.anomalyManifest.feature(feature).median();
    }

    private String order(String id, double ms, double items, double payment) {
        return String.format(Locale.ROOT, "{\"order_id\": \"%s\", \"avg_processing_ms\": %s, \"item_count\": %s, "
                + "\"payment_score\": %s}", id, ms, items, payment);
    }

    @Test
    void restExplainsAnOrderOddInPaymentScoreOnlyAndStaysQuietUnlessAsked() throws Exception {
        String body = order("o-pay", median("avg_processing_ms"), median("item_count"), 0.06);
        JsonNode plain = json.readTree(post("/api/v1/anomaly", body).getBody());
        assertThat(plain.has("explanation")).as("off unless asked").isFalse();

        ResponseEntity<String> res = post("/api/v1/anomaly?explain=true", body);
        assertThat(res.getStatusCode().value()).isEqualTo(200);
        JsonNode r = json.readTree(res.getBody());
        assertThat(r.get("is_anomaly").asBoolean()).isTrue();
        assertThat(r.get("anomaly_score").asDouble()).isEqualTo(plain.get("anomaly_score").asDouble());
        JsonNode top = r.at("/explanation/features/0");
        assertThat(top.get("feature").asText()).isEqualTo("payment_score");
        assertThat(top.get("share").asDouble()).isGreaterThan(0.8);
        assertThat(r.at("/explanation/summary").asText()).startsWith("payment_score 0.06 is below 99.");
    }

    @Test
    void restBatchExplanationsAreTheModelsOwnForEveryRow() throws Exception {
        List<OrderRow> rows = MODELS.orderRows.subList(100, 140);
        StringBuilder items = new StringBuilder("{\"items\": [");
        for (int i = 0; i < rows.size(); i++) {
            OrderRow o = rows.get(i);
            items.append(i == 0 ? "" : ",").append(order(o.orderId(), o.avgProcessingMs(), o.itemCount(), o.paymentScore()));
        }
        JsonNode predictions = json.readTree(post("/api/v1/anomaly/batch?explain=true", items + "]}").getBody()).get("predictions");
        assertThat(predictions).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            OrderRow o = rows.get(i);
            AnomalyExplanation offline = MODELS.anomalyModel.explain(
                    new OrderMetrics(o.orderId(), o.avgProcessingMs(), o.itemCount(), o.paymentScore()));
            JsonNode e = predictions.get(i).get("explanation");
            assertThat(e.get("summary").asText()).isEqualTo(offline.summary());
            assertThat(e.get("mean_path").asDouble()).isEqualTo(offline.meanPath());
            for (int k = 0; k < 3; k++) {
                assertThat(e.at("/features/" + k + "/feature").asText()).isEqualTo(offline.features().get(k).feature());
                assertThat(e.at("/features/" + k + "/path_effect").asDouble()).isEqualTo(offline.features().get(k).pathEffect());
            }
        }
    }

    @Test
    void aBadExplainValueIsA400NamingTheParameter() throws Exception {
        ResponseEntity<String> res = post("/api/v1/anomaly?explain=maybe", order("o", 1500, 3, 0.8));
        assertThat(res.getStatusCode().value()).isEqualTo(400);
        JsonNode problem = json.readTree(res.getBody());
        assertThat(problem.get("field").asText()).isEqualTo("explain");
        assertThat(problem.get("detail").asText()).isEqualTo("explain: must be true or false, got \"maybe\"");

        ResponseEntity<String> oip = post("/v2/models/order-anomaly/infer", "{\"parameters\": {\"explain\": \"yes\"}, "
                + "\"inputs\": [{\"name\": \"input-0\", \"shape\": [1, 3], \"datatype\": \"FP64\", \"data\": [1500, 3, 0.8]}]}");
        assertThat(oip.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(oip.getBody()).get("error").asText()).isEqualTo("parameter 'explain' must be true or false, got yes");
    }

    @Test
    void forecastContributionsAddUpToTheForecast() throws Exception {
        DemandRow d = MODELS.demandRows.get(7);
        String body = String.format(Locale.ROOT, "{\"date\": \"%s\", \"product_id\": \"%s\", \"avg_basket_value\": %s, "
                + "\"promo_flag\": %d}", d.date(), d.productId(), d.avgBasketValue(), d.promoFlag());
        assertThat(json.readTree(post("/api/v1/forecast", body).getBody()).has("explanation")).isFalse();
        JsonNode r = json.readTree(post("/api/v1/forecast?explain=true", body).getBody());
        JsonNode e = r.get("explanation");
        assertThat(e.get("method").asText()).isEqualTo("linear");
        double sum = e.get("base").asDouble();
        List<String> names = new ArrayList<>();
        for (JsonNode c : e.get("contributions")) {
            names.add(c.get("feature").asText());
            sum += c.get("contribution").asDouble();
        }
        assertThat(names).containsExactlyElementsOf(DemandFeatures.NAMES);
        assertThat(sum).isCloseTo(r.get("predicted_demand").asDouble(), within(1e-9));

        JsonNode batch = json.readTree(post("/api/v1/forecast/batch?explain=true", "{\"items\": [" + body + "," + body + "]}")
                .getBody()).get("predictions");
        assertThat(batch.get(1).at("/explanation/base").asDouble()).isEqualTo(e.get("base").asDouble());
    }

    @Test
    void oipReturnsAttributionTensorsOnRequest() throws Exception {
        double ms = median("avg_processing_ms");
        double items = median("item_count");
        String inputs = String.format(Locale.ROOT, "\"inputs\": [{\"name\": \"input-0\", \"shape\": [2, 3], \"datatype\": "
                + "\"FP64\", \"data\": [%s, %s, 0.06, %s, %s, 0.85]}]", ms, items, ms, items);
        JsonNode plain = json.readTree(post("/v2/models/order-anomaly/infer", "{" + inputs + "}").getBody());
        assertThat(plain.get("outputs").findValuesAsText("name"))
                .containsExactly("is_anomaly", "anomaly_score", "approx_probability", "prediction_id");

        JsonNode r = json.readTree(post("/v2/models/order-anomaly/infer", "{\"parameters\": {\"explain\": true}, " + inputs + "}").getBody());
        List<String> names = r.get("outputs").findValuesAsText("name");
        assertThat(names).startsWith("is_anomaly", "anomaly_score", "approx_probability", "prediction_id")
                .contains("attribution_payment_score", "training_percentile_payment_score", "explanation");
        AnomalyExplanation offline = MODELS.anomalyModel.explain(new OrderMetrics(null, ms, items, 0.06));
        for (String f : OrderMetrics.FEATURES) {
            double expected = offline.features().stream().filter(a -> a.feature().equals(f)).findFirst().orElseThrow().pathEffect();
            assertThat(output(r, "attribution_" + f).get(0).asDouble()).as(f).isEqualTo(expected);
        }
        assertThat(output(r, "explanation").get(0).asText()).isEqualTo(offline.summary());
        assertThat(output(r, "training_percentile_payment_score").get(0).asDouble()).isLessThan(1);

        JsonNode meta = json.readTree(http.getForObject("/v2/models/order-anomaly", String.class));
        assertThat(meta.at("/parameters/explain").asText()).contains("attribution_<feature>", "explanation");
    }

    @Test
    void oipDemandContributionsAddUpToThePrediction() throws Exception {
        DemandRow d = MODELS.demandRows.get(3);
        String req = String.format(Locale.ROOT, "{\"parameters\": {\"explain\": \"true\"}, \"inputs\": ["
                + "{\"name\": \"date\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"%s\"]},"
                + "{\"name\": \"product_id\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"%s\"]},"
                + "{\"name\": \"avg_basket_value\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [%s]},"
                + "{\"name\": \"promo_flag\", \"shape\": [1], \"datatype\": \"INT32\", \"data\": [%d]}]}",
                d.date(), d.productId(), d.avgBasketValue(), d.promoFlag());
        JsonNode r = json.readTree(post("/v2/models/demand-forecast/infer", req).getBody());
        double sum = output(r, "contribution_base").get(0).asDouble();
        for (String f : DemandFeatures.NAMES) {
            sum += output(r, "contribution_" + f).get(0).asDouble();
        }
        assertThat(sum).isCloseTo(output(r, "predicted_demand").get(0).asDouble(), within(1e-9));
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
