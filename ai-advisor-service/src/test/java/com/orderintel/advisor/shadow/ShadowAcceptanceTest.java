package com.orderintel.advisor.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.events.BrokerRunTest;
import com.orderintel.advisor.events.TestTopology;
import com.orderintel.advisor.model.AliasWatcher;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.model.ServedModels;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.PrometheusText;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.advisor.support.TestDatabases;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.dataset.OrderRow;
import com.orderintel.shadow.ShadowEvidence;
import com.orderintel.shadow.ShadowGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shadow and canary end to end: two candidate versions in one registry beside the served v1, judged on live traffic.
 * The service serves {@code order-anomaly@production} (v1) with {@code order-anomaly@staging} as shadow and a 20 %
 * canary share, against the real RabbitMQ (names unique to this run) and a throw-away PostgreSQL database. First the
 * shadow is a deliberately worse version (v9: v1's forest with a threshold that flags many normal orders), then
 * staging moves to a good one (v2, trained with other settings) and the service follows without a restart. Each
 * phase sends order events and REST calls and gives feedback for every order; then: responses and alerts name the
 * version that answered (canary orders by their stable hash), the agreement gauges and version-split counters are
 * exported, the store holds both outputs of every order under one prediction id, the promotion gate (the figures
 * {@code promote --require-shadow} reads) refuses v9 and accepts v2, and promote + moving staging swap serving and
 * shadow in the running service.
 */
@BrokerRunTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        "advisor.models.watch-interval=0",       // the test moves aliases and runs the watcher's pass itself
        "advisor.capture.flush-interval=50ms",
        "advisor.shadow.canary-share=0.2",
        "advisor.shadow.canary-secret=" + ShadowAcceptanceTest.CANARY_SECRET,
        "advisor.events.max-attempts=2",
        "advisor.events.retry-backoff=50ms",
        Credentials.ADMIN_TOKEN_PROPERTY})
class ShadowAcceptanceTest {

    private static final double CANARY_SHARE = 0.2;
    static final String CANARY_SECRET = "shadow-acceptance-canary-secret";
    private static final int ORDERS_PER_PHASE = 300;   // 100 events + 200 REST calls, 10 % truly anomalous
    private static final TestTopology NAMES = TestTopology.unique("shadow");
    private static final TrainedModels MODELS = TrainedModels.create();
    private static final TrainedModels.Published GOOD = MODELS.publishAnomalyVersion("v2");
    private static final TrainedModels.Published WORSE = MODELS.publishShiftedAnomaly("v9", 0.2);
    private static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_shadow");
    private static final CachingConnectionFactory CF = new CachingConnectionFactory("127.0.0.1", 5672);
    private static final RabbitAdmin ADMIN = new RabbitAdmin(CF);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    static {
        CF.setUsername("guest");
        CF.setPassword("guest");
        NAMES.declare(ADMIN);
        MODELS.store.promote("order-anomaly", "production", "v1");
        MODELS.store.promote("order-anomaly", "staging", "v9");
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        NAMES.properties().forEach((k, v) -> r.add(k, () -> v));
        r.add("advisor.models.anomaly-uri", () -> MODELS.registryLocation() + "/order-anomaly@production");
        r.add("advisor.models.anomaly-shadow-uri", () -> MODELS.registryLocation() + "/order-anomaly@staging");
        r.add("advisor.models.demand-uri", () -> MODELS.demandUri);
        TestDatabases.datasource(r, DB);
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    ServedModels served;
    @Autowired
    AliasWatcher watcher;
    @Autowired
    RabbitListenerEndpointRegistry listeners;

    @AfterAll
    void cleanUp() {
        NAMES.tearDown(listeners, ADMIN, CF);
        DB.close();
    }

    @Test
    void candidatesAreJudgedOnLiveTrafficAndPromotedWithoutARestart() throws Exception {
        Credentials.asAdmin(http);
        await().atMost(Duration.ofSeconds(60)).until(() -> served.snapshot().shadow(ModelSlot.ANOMALY).isPresent());
        assertThat(version(served.snapshot().get(ModelSlot.ANOMALY).orElseThrow())).isEqualTo("v1");
        assertThat(version(served.snapshot().shadow(ModelSlot.ANOMALY).orElseThrow())).isEqualTo("v9");

        // phase 1: the worse candidate shadows v1 and answers the canary share
        List<OrderRow> first = sample(0);
        Map<String, String> answered = traffic("w", first, "v1", "v9");
        labelAll("w", first);

        // the store holds both outputs of every order under one prediction id
        assertThat(DB.count("SELECT count(*) FROM scored_orders s JOIN shadow_orders h ON h.prediction_id = s.prediction_id "
                + "WHERE s.order_id LIKE 'w-" + RUN + "-%' AND ((s.model_version = 'v1' AND h.model_version = 'v9') "
                + "OR (s.model_version = 'v9' AND h.model_version = 'v1'))")).isEqualTo(ORDERS_PER_PHASE);
        long canaryRows = DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'w-" + RUN + "-%' AND model_version = 'v9'");
        assertThat(canaryRows).as("answered by the candidate = the orders whose hash falls in the canary share")
                .isEqualTo(answered.values().stream().filter("v9"::equals).count()).isBetween(30L, 95L);

        PrometheusText scrape = scrape();
        double worseAgreement = scrape.value("advisor_shadow_agreement", "model", "order-anomaly");
        assertThat(worseAgreement).as("v9 flags many orders v1 does not").isLessThan(0.9);
        assertThat(scrape.value("advisor_shadow_score_correlation", "model", "order-anomaly")).isGreaterThan(0.99)
                .as("the same forest, shifted: scores move together");
        assertThat(scrape.sum("advisor_shadow_scored_total", "model", "order-anomaly")).isGreaterThanOrEqualTo(ORDERS_PER_PHASE);
        assertThat(scrape.sum("advisor_shadow_dropped_total", "model", "order-anomaly")).isZero();
        assertThat(scrape.value("advisor_shadow_info", "model", "order-anomaly", "primary_version", "v1",
                "candidate_version", "v9")).isEqualTo(1.0);
        assertThat(scrape.sum("advisor_predictions_total", "model", "order-anomaly", "version", "v9", "outcome", "ok"))
                .isEqualTo(canaryRows);
        assertThat(scrape.sum("advisor_predictions_total", "model", "order-anomaly", "version", "v1", "outcome", "ok"))
                .isEqualTo(ORDERS_PER_PHASE - canaryRows);

        // phase 2: staging moves to the good candidate; the running service follows
        MODELS.store.promote("order-anomaly", "staging", "v2");
        assertThat(watcher.checkOnce()).extracting(ShadowAcceptanceTest::version).containsExactly("v2");
        assertThat(version(served.snapshot().shadow(ModelSlot.ANOMALY).orElseThrow())).isEqualTo("v2");
        List<OrderRow> second = sample(1);
        traffic("g", second, "v1", "v2");
        labelAll("g", second);
        double goodAgreement = scrape().value("advisor_shadow_agreement", "model", "order-anomaly");
        assertThat(goodAgreement).as("the window restarted with the new pair").isGreaterThan(worseAgreement);

        // the promotion gate on the store's figures (what `training-runner promote --require-shadow` runs)
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(DB.url());
        ds.setUser("postgres");
        ShadowGate gate = new ShadowGate(ORDERS_PER_PHASE, 0.9, 0.5, 20, 1.1);
        ShadowEvidence.Anomaly worse = ShadowEvidence.anomaly(ds, "order-anomaly", "v9", null);
        ShadowEvidence.Anomaly good = ShadowEvidence.anomaly(ds, "order-anomaly", "v2", null);
        System.out.println(ShadowGate.describe(worse));
        System.out.println(ShadowGate.describe(good));
        assertThat(worse.scored()).isEqualTo(ORDERS_PER_PHASE);
        assertThat(worse.labelled()).isEqualTo(ORDERS_PER_PHASE);
        assertThat(gate.failures(worse)).as("the worse candidate is refused, naming the figure")
                .anySatisfy(f -> assertThat(f).startsWith("agreement "))
                .anySatisfy(f -> assertThat(f).startsWith("precision "));
        assertThat(gate.failures(good)).as(ShadowGate.describe(good)).isEmpty();
        assertThat(good.agreement()).isGreaterThan(worse.agreement());

        // the shadow's accuracy against feedback is exported from the same figures
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                scrape().value("advisor_shadow_feedback_precision", "model", "order-anomaly"))
                .isEqualTo(good.candidate().precision()));

        // promote: production -> v2 and staging -> the replaced v1; serving and shadow swap without a restart
        MODELS.store.promote("order-anomaly", "production", "v2");
        MODELS.store.promote("order-anomaly", "staging", "v1");
        assertThat(watcher.checkOnce()).extracting(ShadowAcceptanceTest::version).containsExactlyInAnyOrder("v2", "v1");
        assertThat(version(served.snapshot().get(ModelSlot.ANOMALY).orElseThrow())).isEqualTo("v2");
        assertThat(version(served.snapshot().shadow(ModelSlot.ANOMALY).orElseThrow())).isEqualTo("v1");
        String steady = firstKey(false);
        assertThat(rest(steady, second.getFirst()).at("/model/version").asText()).isEqualTo("v2");
        assertThat(rest(firstKey(true), second.getFirst()).at("/model/version").asText()).as("canary: the candidate now is v1")
                .isEqualTo("v1");
        // counters of a version no longer served or shadowing are gone (bounded version label)
        assertThat(scrape().find("advisor_predictions_total", "version", "v9")).isEmpty();
    }

    /**
     * Sends one phase: every third order as an order.created event, the rest as REST calls; returns which version
     * answered each order and checks it against the canary hash, in responses and alerts.
     */
    private Map<String, String> traffic(String prefix, List<OrderRow> rows, String primary, String candidate) throws Exception {
        Map<String, String> answered = new HashMap<>();
        List<String> eventIds = new ArrayList<>();
        RabbitTemplate orderService = new RabbitTemplate(CF);
        for (int i = 0; i < rows.size(); i++) {
            String orderId = prefix + "-" + RUN + "-" + i;
            String expected = ShadowScorer.bucket(CANARY_SECRET, orderId) < CANARY_SHARE ? candidate : primary;
            OrderRow r = rows.get(i);
            if (i % 3 == 0) {
                String body = JSON.createObjectNode().put("id", orderId).put("productId", "SKU-1").put("quantity", 3)
                        .put("status", "CREATED").put("avg_processing_ms", r.avgProcessingMs()).put("item_count", r.itemCount())
                        .put("payment_score", r.paymentScore()).toString();
                orderService.send(NAMES.exchange(), "order.created", MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                        .setContentType(MessageProperties.CONTENT_TYPE_JSON).build());
                eventIds.add(orderId);
                answered.put(orderId, expected);
            } else {
                JsonNode res = rest(orderId, r);
                assertThat(res.at("/model/version").asText()).as("REST response of " + orderId + " names who answered")
                        .isEqualTo(expected);
                answered.put(orderId, expected);
            }
        }
        String like = prefix + "-" + RUN + "-%";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE '" + like + "'")).isEqualTo(rows.size());
            assertThat(DB.count("SELECT count(*) FROM shadow_orders h JOIN scored_orders s ON s.prediction_id = h.prediction_id "
                    + "WHERE s.order_id LIKE '" + like + "'")).isEqualTo(rows.size());
        });
        // event answers: the captured version per order, and every alert names it
        for (String id : eventIds) {
            assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id = '" + id + "' AND source = 'event' "
                    + "AND model_version = '" + answered.get(id) + "'")).as(id).isEqualTo(1);
        }
        long anomalousEvents = DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE '" + like + "' AND source = 'event' "
                + "AND is_anomaly");
        RabbitTemplate consumer = new RabbitTemplate(CF);
        int alerts = 0;
        Message m;
        while ((m = consumer.receive(NAMES.alerts(), 2000)) != null) {
            JsonNode alert = JSON.readTree(m.getBody());
            String orderId = alert.get("order_id").asText();
            if (orderId.startsWith(prefix + "-" + RUN)) {
                assertThat(alert.at("/model/version").asText()).as("alert of " + orderId).isEqualTo(answered.get(orderId));
                alerts++;
            }
        }
        assertThat(alerts).isEqualTo(anomalousEvents).isPositive();
        return answered;
    }

    /** Feedback for every order of the phase (by order id, the generator's truth), through the REST API. */
    private void labelAll(String prefix, List<OrderRow> rows) throws Exception {
        for (int i = 0; i < rows.size(); i++) {
            ResponseEntity<String> fb = post("/api/v1/feedback", JSON.createObjectNode()
                    .put("order_id", prefix + "-" + RUN + "-" + i).put("actual_label", rows.get(i).label()).toString());
            assertThat(fb.getStatusCode().value()).as(fb.getBody()).isEqualTo(200);
        }
    }

    /** 30 anomalous and 270 normal orders of the generated data, a different slice per phase. */
    private static List<OrderRow> sample(int phase) {
        List<OrderRow> anomalies = MODELS.orderRows.stream().filter(r -> r.label() == 1).skip(30L * phase).limit(30).toList();
        List<OrderRow> normal = MODELS.orderRows.stream().filter(r -> r.label() == 0).skip(270L * phase).limit(270).toList();
        List<OrderRow> out = new ArrayList<>();
        for (int i = 0; i < ORDERS_PER_PHASE; i++) {
            out.add(i % 10 == 0 ? anomalies.get(i / 10) : normal.get(i - i / 10 - 1));
        }
        return out;
    }

    private JsonNode rest(String orderId, OrderRow r) throws Exception {
        ResponseEntity<String> res = post("/api/v1/anomaly", JSON.createObjectNode().put("order_id", orderId)
                .put("avg_processing_ms", r.avgProcessingMs()).put("item_count", r.itemCount())
                .put("payment_score", r.paymentScore()).toString());
        assertThat(res.getStatusCode().value()).as(res.getBody()).isEqualTo(200);
        return JSON.readTree(res.getBody());
    }

    /** An order id (not used by the phases) inside or outside the canary share. */
    private static String firstKey(boolean canary) {
        for (int i = 0; ; i++) {
            String key = "after-" + RUN + "-" + i;
            if ((ShadowScorer.bucket(CANARY_SECRET, key) < CANARY_SHARE) == canary) {
                return key;
            }
        }
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(http.getForObject("/actuator/prometheus", String.class));
    }

    private ResponseEntity<String> post(String path, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.postForEntity(path, new HttpEntity<>(body, headers), String.class);
    }

    private static String version(LoadedModel<?> m) {
        return m.version();
    }
}
