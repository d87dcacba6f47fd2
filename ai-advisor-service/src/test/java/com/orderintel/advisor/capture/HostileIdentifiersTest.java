package com.orderintel.advisor.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderintel.advisor.events.BrokerRunTest;
import com.orderintel.advisor.events.TestTopology;
import com.orderintel.advisor.serving.NoteCapture;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.TestDatabases;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.advisor.support.TrainedModels;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attack suite's capture and identifier attacks on one service with capture on (real PostgreSQL, a database of
 * this class's own) and events on (real RabbitMQ, names unique to this run): hostile order ids (NUL, other control
 * characters, an unpaired surrogate, COPY's end marker, 100,000 characters) through REST, the Open Inference
 * Protocol and {@code order.created} events are refused at the edge (400 naming the field; dead-lettered with the
 * reason), hostile notes are scored, and then ordinary orders through every entry point all land in the capture store.
 * Before, one NUL order id was scored (200), its COPY batch was retried every 2 s for ever and nothing after it was
 * captured; a 100,000-character id was scored and kept in the prediction ring.
 */
@Tag("attack")
@BrokerRunTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        "advisor.capture.flush-interval=50ms",
        Credentials.ADMIN_TOKEN_PROPERTY, Credentials.READ_TOKEN_PROPERTY, Credentials.FEEDBACK_TOKEN_PROPERTY})
@AutoConfigureObservability
class HostileIdentifiersTest {

    private static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_hostile_ids");
    private static final TrainedModels MODELS = TrainedModels.create();
    private static final TestTopology NAMES = TestTopology.unique("hostile-ids");
    private static final CachingConnectionFactory CF = new CachingConnectionFactory("127.0.0.1", 5672);
    private static final RabbitAdmin ADMIN = new RabbitAdmin(CF);
    private static final String HUGE = "H".repeat(100_000);
    /** Hostile ids by name; as JSON string literals, so the unpaired surrogate is sent as the escape JSON allows. */
    private static final Map<String, String> HOSTILE = new LinkedHashMap<>();

    static {
        CF.setUsername("guest");
        CF.setPassword("guest");
        NAMES.declare(ADMIN);
        HOSTILE.put("nul", "\"evil\\u0000id\"");
        HOSTILE.put("escape sequence", "\"o-\\u001b[31mred\"");
        HOSTILE.put("line break", "\"o-1\\r\\nX-Injected: yes\"");
        HOSTILE.put("unpaired surrogate", "\"o-\\ud800\"");
        HOSTILE.put("copy end marker", "\"\\\\.\"");
        HOSTILE.put("100,000 characters", "\"" + HUGE + "\"");
    }

    private final ObjectMapper json = new ObjectMapper();
    private final RabbitTemplate raw = new RabbitTemplate(CF);

    @Autowired
    TestRestTemplate http;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RabbitListenerEndpointRegistry listeners;

    @Autowired
    NoteCapture notes;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestDatabases.datasource(r, DB);
        MODELS.serveBoth(r);
        NAMES.properties().forEach((k, v) -> r.add(k, () -> v));
    }

    @BeforeEach
    void ready() {
        Credentials.asAdmin(http);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().is2xxSuccessful());
        await().atMost(Duration.ofSeconds(30)).until(() -> ADMIN.getQueueInfo(NAMES.queue()) != null
                && ADMIN.getQueueInfo(NAMES.queue()).getConsumerCount() > 0);
    }

    @AfterAll
    void cleanUp() {
        NAMES.tearDown(listeners, ADMIN, CF);
        DB.close();
    }

    private ResponseEntity<String> post(String path, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.postForEntity(path, new HttpEntity<>(body, headers), String.class);
    }

    private static String order(String idLiteral, String note) {
        return "{\"order_id\":" + idLiteral + ",\"avg_processing_ms\":1200,\"item_count\":3,\"payment_score\":0.5"
                + (note == null ? "" : ",\"note\":" + note) + "}";
    }

    private static String oip(String idLiteral) {
        return "{\"inputs\":[{\"name\":\"order_id\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[" + idLiteral + "]},"
                + "{\"name\":\"avg_processing_ms\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1200]},"
                + "{\"name\":\"item_count\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[3]},"
                + "{\"name\":\"payment_score\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[0.5]}]}";
    }

    private void event(String body) {
        raw.send(NAMES.exchange(), "order.created", MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                .setContentType(MessageProperties.CONTENT_TYPE_JSON).build());
    }

    private double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    @Order(1)
    void hostileIdsAreRefusedAtEveryEdgeAndTheOrdersAfterThemAreAllCaptured() throws Exception {
        // REST, single and batch: 400 naming the field, without echoing the value
        for (Map.Entry<String, String> h : HOSTILE.entrySet()) {
            ResponseEntity<String> r = post("/api/v1/anomaly", order(h.getValue(), null));
            assertThat(r.getStatusCode().value()).as(h.getKey()).isEqualTo(400);
            JsonNode problem = json.readTree(r.getBody());
            assertThat(problem.get("field").asText()).as(h.getKey()).isEqualTo("order_id");
            assertThat(r.getBody().length()).as("the value is not echoed").isLessThan(1000);
        }
        ResponseEntity<String> batch = post("/api/v1/anomaly/batch", "{\"items\":[" + order("\"ok-1\"", null) + ","
                + order(HOSTILE.get("nul"), null) + "]}");
        assertThat(batch.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(batch.getBody()).get("field").asText()).isEqualTo("items[1].order_id");
        assertThat(json.readTree(batch.getBody()).get("detail").asText())
                .isEqualTo("items[1].order_id: contains the control character U+0000 at position 5 "
                        + "(allowed: 1 to 128 letters, digits and - _ . : / # @)");
        // forecast: the product id, and a day PostgreSQL cannot store
        ResponseEntity<String> forecast = post("/api/v1/forecast", "{\"date\":\"2024-08-15\",\"product_id\":\"P\\u0000\","
                + "\"avg_basket_value\":40,\"promo_flag\":0}");
        assertThat(forecast.getStatusCode().value()).isEqualTo(400);
        assertThat(json.readTree(forecast.getBody()).get("field").asText()).isEqualTo("product_id");
        ResponseEntity<String> farDay = post("/api/v1/forecast", "{\"date\":\"+10000-01-01\",\"product_id\":\"P001\","
                + "\"avg_basket_value\":40,\"promo_flag\":0}");
        assertThat(farDay.getStatusCode().value()).as(farDay.getBody()).isEqualTo(400);
        assertThat(json.readTree(farDay.getBody()).get("detail").asText()).isEqualTo("date: must be in the years 0001-9999");

        // Open Inference Protocol: the order_id tensor
        for (Map.Entry<String, String> h : HOSTILE.entrySet()) {
            ResponseEntity<String> r = post("/v2/models/order-anomaly/infer", oip(h.getValue()));
            assertThat(r.getStatusCode().value()).as(h.getKey() + ": " + r.getBody()).isEqualTo(400);
            assertThat(json.readTree(r.getBody()).get("error").asText()).as(h.getKey()).startsWith("input 'order_id' element 0: ");
        }

        // events: every hostile id is poison, dead-lettered with the reason
        for (String id : HOSTILE.values()) {
            event("{\"id\":" + id + ",\"productId\":\"SKU-1\",\"quantity\":2}");
        }
        event("{\"id\":\"" + "L".repeat(5000) + "\",\"quantity\":2}");        // under the body limit, over the id limit
        event("{\"id\":\"o-ok\",\"productId\":\"SKU\\u0000\",\"quantity\":2}");  // a hostile product id
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size() + 2; i++) {
            Message m = raw.receive(NAMES.deadLetterQueue(), 15_000);
            assertThat(m).as("dead letter " + (i + 1)).isNotNull();
            reasons.add(m.getMessageProperties().getHeader("x-advisor-error"));
        }
        assertThat(reasons).contains("field 'id' contains the control character U+0000 at position 5 "
                        + "(allowed: 1 to 128 letters, digits and - _ . : / # @)",
                "field 'id' is 5000 characters, over the limit of 128",
                "field 'productId' contains the control character U+0000 at position 4 "
                        + "(allowed: 1 to 128 letters, digits and - _ . : / # @)");
        assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("field 'id' contains an unpaired surrogate U+D800"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("field 'id' contains the character U+005C at position 1"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("body is ").endsWith("over the limit of 65536"));

        // then ordinary orders through every entry point, some with hostile notes (notes are text, not keys: scored)
        String[] notes = {"\"a NUL \\u0000 in a note\"", "\"a lone \\ud800 surrogate\"", "\"\\\\.\"",
                "\"" + "n".repeat(8000) + "\""};
        for (int i = 0; i < 50; i++) {
            ResponseEntity<String> r = post("/api/v1/anomaly", order("\"after-rest-" + i + "\"", i < notes.length ? notes[i] : null));
            assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(post("/v2/models/order-anomaly/infer", oip("\"after-oip-" + i + "\"")).getStatusCode().value()).isEqualTo(200);
            event("{\"id\":\"after-event-" + i + "\",\"productId\":\"SKU-1\",\"quantity\":2,\"note\":" + notes[i % notes.length] + "}");
        }
        StringBuilder ordinaryBatch = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 10; i++) {
            ordinaryBatch.append(i == 0 ? "" : ",").append(order("\"after-batch-" + i + "\"", null));
        }
        assertThat(post("/api/v1/anomaly/batch", ordinaryBatch.append("]}").toString()).getStatusCode().value()).isEqualTo(200);
        long sent = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> { // the tables appear with the first write
            assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'after-rest-%' AND source = 'rest'")).isEqualTo(50);
            assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'after-batch-%' AND source = 'rest'")).isEqualTo(10);
            assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'after-oip-%' AND source = 'oip'")).isEqualTo(10);
            assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id LIKE 'after-event-%' AND source = 'event'")).isEqualTo(10);
            assertThat(DB.count("SELECT count(*) FROM order_note_enrichments WHERE order_id LIKE 'after-%'")).isEqualTo(4 + 10);
        });
        System.out.printf("attack suite: 80 ordinary orders after the hostile ones all captured %d ms after the last was sent%n",
                (System.nanoTime() - sent) / 1_000_000);
        assertThat(DB.count("SELECT count(*) FROM scored_orders")).as("nothing hostile was captured").isEqualTo(80);
        assertThat(DB.count("SELECT count(*) FROM capture_quarantine")).isZero();
        assertThat(counter("advisor.capture.dropped", "reason", "buffer_full")).isZero();
        assertThat(counter("advisor.capture.dropped", "reason", "unstorable")).isZero();
    }

    @Test
    @Order(2)
    void longIdsAreRefusedBeforeAnythingKeepsThemSoTheHeapStaysFlat() throws Exception {
        long before = usedHeapAfterGc();
        // 100 batch requests of 10 orders with 100,000-character ids (about 1 MB each, under the body limit): before,
        // each was scored and its ids kept in the 100,000-slot prediction ring (and the capture buffer)
        ArrayNode items = json.createArrayNode();
        for (int i = 0; i < 10; i++) {
            ObjectNode o = items.addObject();
            o.put("order_id", (char) ('a' + i) + HUGE.substring(1));
            o.put("avg_processing_ms", 1200).put("item_count", 3).put("payment_score", 0.5);
        }
        String body = json.createObjectNode().set("items", items).toString();
        for (int i = 0; i < 100; i++) {
            ResponseEntity<String> r = post("/api/v1/anomaly/batch", body);
            assertThat(r.getStatusCode().value()).isEqualTo(400);
        }
        assertThat(json.readTree(post("/api/v1/anomaly/batch", body).getBody()).get("detail").asText())
                .startsWith("items[0].order_id: is 100000 characters, over the limit of 128");
        long after = usedHeapAfterGc();
        System.out.printf("attack suite: heap after GC %d MB before, %d MB after 1,000 refused 100,000-character ids%n",
                before >> 20, after >> 20);
        assertThat((after - before) / (1024 * 1024)).as("heap growth in MB over 1,000 refused 100,000-character ids "
                + "(about 100 MB had they been kept)").isLessThan(30);
    }

    @Test
    @Order(3)
    void aNoteEnrichmentTheDatabaseRefusesIsQuarantinedWithoutItsTextAndTheOthersLand() throws Exception {
        // the entry points refuse such an order id, so the note writer is handed it directly (as the pipeline would)
        for (int i = 0; i < 20; i++) {
            notes.note(Source.REST, "nq-" + i, i == 7 ? "evil\u0000id" : "nq-order-" + i, "the parcel arrived broken " + i);
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(DB.count("SELECT count(*) FROM order_note_enrichments WHERE prediction_id LIKE 'nq-%'")).isEqualTo(19);
            assertThat(DB.count("SELECT count(*) FROM capture_quarantine WHERE target_table = 'order_note_enrichments' "
                    + "AND prediction_id = 'nq-7' AND sqlstate = '22021' AND strpos(record, 'orderId=evil\\u0000id') > 0")).isEqualTo(1);
        });
        assertThat(DB.count("SELECT count(*) FROM capture_quarantine WHERE record LIKE '%parcel%'"))
                .as("the note's text is not kept, not even in the quarantine").isZero();
        assertThat(counter("advisor.capture.quarantined", "table", "order_note_enrichments")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void feedbackKeysFollowTheSameRule() throws Exception {
        ResponseEntity<String> label = post("/api/v1/feedback", "{\"order_id\":\"evil\\u0000id\",\"actual_label\":1}");
        assertThat(label.getStatusCode().value()).as(label.getBody()).isEqualTo(400);
        assertThat(json.readTree(label.getBody()).get("field").asText()).isEqualTo("order_id");
        ResponseEntity<String> demand = post("/api/v1/feedback", "{\"product_id\":\"SKU-001\\r\\n\",\"date\":\"2024-08-15\","
                + "\"actual_demand\":3}");
        assertThat(demand.getStatusCode().value()).as(demand.getBody()).isEqualTo(400);
        assertThat(json.readTree(demand.getBody()).get("field").asText()).isEqualTo("product_id");
        ResponseEntity<String> byId = post("/api/v1/feedback", "{\"prediction_id\":\"ab-1-\\u0000\",\"actual_label\":1}");
        assertThat(byId.getStatusCode().value()).as(byId.getBody()).isEqualTo(400);
        assertThat(json.readTree(byId.getBody()).get("field").asText()).isEqualTo("prediction_id");
        ResponseEntity<String> farDay = post("/api/v1/feedback", "{\"product_id\":\"SKU-001\",\"date\":\"+10000-01-01\","
                + "\"actual_demand\":3}");
        assertThat(farDay.getStatusCode().value()).as(farDay.getBody()).isEqualTo(400);
        assertThat(json.readTree(farDay.getBody()).get("field").asText()).isEqualTo("date");
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
