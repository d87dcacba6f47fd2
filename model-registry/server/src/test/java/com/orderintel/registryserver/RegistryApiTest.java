package com.orderintel.registryserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.registry.AliasMove;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import com.orderintel.registry.lifecycle.LifecycleEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** The REST API on a real server: reads, the approval flow and its refusals, evidence, lineage, roles, hostile input. */
class RegistryApiTest extends ServerTestBase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponse<String> call(String method, String path, String user, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + ConsoleFixture.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> json(String method, String path, String user, String body) throws Exception {
        return call(method, path, user, "application/json", body);
    }

    @Test
    void readsModelsVersionsAliasesAndThePolicy() throws Exception {
        HttpResponse<String> models = call("GET", "/api/v1/models", ConsoleFixture.READER, null, null);
        assertThat(models.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(models.body());
        assertThat(list).extracting(n -> n.get("name").asText()).containsExactly("demand-forecast", "order-anomaly");
        assertThat(list.get(1).get("versions").asInt()).isEqualTo(2);
        JsonNode v1 = JSON.readTree(call("GET", "/api/v1/models/order-anomaly/versions/v1", ConsoleFixture.READER, null, null).body());
        try (ModelStore store = ModelStores.open(fixture().registry)) { // the browser test may have moved production to v2
            assertThat(list.get(1).get("aliases").get("production").asText())
                    .isEqualTo(store.resolveAlias("order-anomaly", "production").orElseThrow());
            assertThat(v1.get("aliases")).extracting(JsonNode::asText)
                    .containsExactlyElementsOf(store.aliases("order-anomaly").aliasesOf("v1"));
        }
        assertThat(v1.get("manifest").get("metrics").get("precision").asDouble()).isEqualTo(0.91);
        assertThat(v1.get("report").asBoolean()).isTrue();
        HttpResponse<String> report = call("GET", "/api/v1/models/order-anomaly/versions/v1/report", ConsoleFixture.READER, null, null);
        assertThat(report.body()).contains("Training report of v1");
        assertThat(report.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("sandbox"));

        assertThat(JSON.readTree(call("GET", "/api/v1/policy", ConsoleFixture.READER, null, null).body()).get("approval"))
                .extracting(JsonNode::asText).containsExactly("production");
        HttpResponse<String> missing = call("GET", "/api/v1/models/nope", ConsoleFixture.READER, null, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no model 'nope'");
        assertThat(call("GET", "/api/v1/models", null, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aGuardedPromotionNeedsARequestAndAnApprovalByASecondPrincipal() throws Exception {
        RecordedEvents.EVENTS.clear();
        HttpResponse<String> direct = json("PUT", "/api/v1/models/demand-forecast/aliases/production", ConsoleFixture.ANN,
                "{\"version\":\"d2\",\"reason\":\"lower MAE\"}");
        assertThat(direct.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(direct.body()).get("detail").asText())
                .contains("alias 'production' of model 'demand-forecast' is guarded", "approved by a second person",
                        PUBLIC_URL + "/api/v1/models/demand-forecast/aliases/production/requests");
        assertThat(json("PUT", "/api/v1/models/demand-forecast/aliases/production", ConsoleFixture.READER,
                "{\"version\":\"d2\"}").statusCode()).isEqualTo(403); // role read cannot move anything

        HttpResponse<String> requested = json("POST", "/api/v1/models/demand-forecast/aliases/production/requests", ConsoleFixture.ANN,
                "{\"version\":\"d2\",\"reason\":\"lower MAE on the last snapshot\"}");
        assertThat(requested.statusCode()).isEqualTo(201);
        String id = JSON.readTree(requested.body()).get("id").asText();

        HttpResponse<String> self = json("POST", "/api/v1/models/demand-forecast/requests/" + id + "/approve", ConsoleFixture.ANN, "{}");
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(self.body()).get("detail").asText()).contains("'ann' requested promotion " + id, "cannot approve it");

        HttpResponse<String> approved = json("POST", "/api/v1/models/demand-forecast/requests/" + id + "/approve", ConsoleFixture.BOB,
                "{\"reason\":\"checked the report\"}");
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(approved.body()).get("change").get("newVersion").asText()).isEqualTo("d2");

        try (ModelStore store = ModelStores.open(fixture().registry)) {
            assertThat(store.resolveAlias("demand-forecast", "production")).contains("d2");
            assertThat(store.aliases("demand-forecast").log()).filteredOn(m -> id.equals(m.requestId()))
                    .extracting(AliasMove::action, AliasMove::by, AliasMove::reason)
                    .containsExactly(tuple("request", "ann", "lower MAE on the last snapshot"), tuple("approve", "bob", "checked the report"),
                            tuple("promote", "bob", "approved request " + id + " by ann: lower MAE on the last snapshot"));
        }
        assertThat(RecordedEvents.EVENTS).extracting(LifecycleEvent::type, LifecycleEvent::version, LifecycleEvent::by)
                .containsExactly(tuple(LifecycleEvent.TYPE_REQUESTED, "d2", "ann"), tuple(LifecycleEvent.TYPE_APPROVED, "d2", "bob"),
                        tuple(LifecycleEvent.TYPE_PROMOTED, "d2", "bob"));
        assertThat(RecordedEvents.EVENTS.getLast().from()).isEqualTo("d1");
        assertThat(RecordedEvents.EVENTS).allSatisfy(e -> assertThat(e.requestId()).isEqualTo(id));

        // rollback is not guarded (the version served before) and is an event too
        HttpResponse<String> back = json("POST", "/api/v1/models/demand-forecast/aliases/production/rollback", ConsoleFixture.BOB,
                "{\"reason\":\"undo\"}");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(RecordedEvents.EVENTS.getLast().type()).isEqualTo(LifecycleEvent.TYPE_ROLLED_BACK);
        // an unguarded alias moves directly
        assertThat(json("PUT", "/api/v1/models/demand-forecast/aliases/staging", ConsoleFixture.ANN, "{\"version\":\"d2\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void rejectedRequestsAreLoggedAndCannotBeApprovedLater() throws Exception {
        String id = JSON.readTree(json("POST", "/api/v1/models/demand-forecast/aliases/production/requests", ConsoleFixture.ANN,
                "{\"version\":\"d2\",\"reason\":\"try\"}").body()).get("id").asText();
        assertThat(json("POST", "/api/v1/models/demand-forecast/requests/" + id + "/reject", ConsoleFixture.BOB, "{\"reason\":\"no\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> late = json("POST", "/api/v1/models/demand-forecast/requests/" + id + "/approve", ConsoleFixture.BOB, "{}");
        assertThat(late.statusCode()).isEqualTo(404);
        assertThat(late.body()).contains("no pending promotion request");
    }

    @Test
    void evidenceComesFromTheCaptureStore() throws Exception {
        JsonNode e = JSON.readTree(call("GET", "/api/v1/models/order-anomaly/versions/v2/evidence", ConsoleFixture.READER, null, null).body());
        assertThat(e.get("shadow").get("scored").asLong()).isEqualTo(200);
        assertThat(e.get("shadow").get("agreement").asDouble()).isBetween(0.9, 1.0);
        assertThat(e.get("shadow").get("bySource").get(0).get("source").asText()).isEqualTo("event");
        JsonNode drift = e.get("drift");
        assertThat(drift).extracting(n -> n.get("feature").asText()).containsExactly("avg_processing_ms", "item_count", "payment_score");
        assertThat(drift.get(0).get("rows").asLong()).isEqualTo(200);
        assertThat(drift.get(0).get("psi").asDouble()).isGreaterThan(0.1); // live orders are slower than v2's training bins
        JsonNode v1 = JSON.readTree(call("GET", "/api/v1/models/order-anomaly/versions/v1/evidence", ConsoleFixture.READER, null, null).body());
        assertThat(v1.get("rolling").get("metric").asText()).isEqualTo("precision");
        assertThat(v1.get("rolling").get("byDay").size()).isGreaterThanOrEqualTo(3);

        JsonNode d1 = JSON.readTree(call("GET", "/api/v1/models/demand-forecast/versions/d1/evidence", ConsoleFixture.READER, null, null).body());
        assertThat(d1.get("drift")).extracting(n -> n.get("feature").asText()).containsExactly("avg_basket_value", "promo_flag");
        assertThat(d1.get("drift").get(0).get("rows").asLong()).isEqualTo(30);
        assertThat(d1.get("rolling").get("metric").asText()).isEqualTo("mae");
        assertThat(d1.get("rolling").get("byDay")).isNotEmpty().allSatisfy(day -> assertThat(day.get("value").asDouble()).isEqualTo(2.0));
    }

    @Test
    void datasetsShowLineageFromSnapshotToServingAliases() throws Exception {
        JsonNode snapshots = JSON.readTree(call("GET", "/api/v1/datasets", ConsoleFixture.READER, null, null).body());
        assertThat(snapshots).hasSize(1);
        JsonNode s = snapshots.get(0);
        assertThat(s.get("manifest").get("snapshotId").asText()).isEqualTo("20261201T080000Z");
        assertThat(s.get("trained")).extracting(t -> t.get("model").asText() + " " + t.get("version").asText())
                .containsExactlyInAnyOrder("order-anomaly v1", "order-anomaly v2");
        assertThat(s.get("trained")).filteredOn(t -> t.get("version").asText().equals("v1")).singleElement()
                .satisfies(t -> assertThat(t.get("servedBy")).extracting(JsonNode::asText).contains("production"));
    }

    @Test
    @Tag("attack")
    void changesTakeJsonOnlyAndBoundedReasons() throws Exception {
        // a cross-site form post (with cached basic credentials) cannot move an alias: form bodies are refused
        HttpResponse<String> form = call("POST", "/api/v1/models/demand-forecast/aliases/production/requests", ConsoleFixture.ANN,
                "application/x-www-form-urlencoded", "version=d2&reason=x");
        assertThat(form.statusCode()).isEqualTo(415);
        HttpResponse<String> longReason = json("POST", "/api/v1/models/demand-forecast/aliases/production/requests", ConsoleFixture.ANN,
                "{\"version\":\"d2\",\"reason\":\"" + "x".repeat(600) + "\"}");
        assertThat(longReason.statusCode()).isEqualTo(400);
        assertThat(longReason.body()).contains("at most 500 characters").doesNotContain("Exception");
        HttpResponse<String> traversal = json("PUT", "/api/v1/models/demand-forecast/aliases/..%2Fx", ConsoleFixture.ANN, "{\"version\":\"d2\"}");
        assertThat(traversal.statusCode()).isBetween(400, 404);
        HttpResponse<String> garbage = json("PUT", "/api/v1/models/demand-forecast/aliases/staging", ConsoleFixture.ANN, "{not json");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("not the JSON object expected");
    }
}
