package com.orderintel.advisor.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.TrainedModels;
import com.shop.orderservice.dto.OrderCreatedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.Jackson2JsonMessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order-event consumer against the real RabbitMQ on this machine (127.0.0.1:5672, guest/guest). Every name
 * (exchange, queue, dead-letter queue) is unique to this test run and deleted afterwards.
 */
@BrokerRunTest
@SpringBootTest(properties = {
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        "advisor.events.max-attempts=2",
        "advisor.events.retry-backoff=50ms",
        "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
                + "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration"})
class OrderEventsTest {

    private static final TestTopology NAMES = TestTopology.unique("it");
    private static final String EXCHANGE = NAMES.exchange();
    private static final String QUEUE = NAMES.queue();
    private static final String DLQ = NAMES.deadLetterQueue();
    private static final TrainedModels MODELS = TrainedModels.create();
    private static final CachingConnectionFactory CF = new CachingConnectionFactory("127.0.0.1", 5672);
    private static final RabbitAdmin ADMIN = new RabbitAdmin(CF);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A queue of ours bound to order.monitoring, standing in for the alert consumer. */
    private static final String ALERTS = NAMES.alerts();

    static {
        CF.setUsername("guest");
        CF.setPassword("guest");
        NAMES.declare(ADMIN);
    }

    @Autowired
    EventMetrics metrics;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private final RabbitTemplate orderService = orderServiceTemplate();
    private final RabbitTemplate raw = new RabbitTemplate(CF);

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        NAMES.properties().forEach((k, v) -> r.add(k, () -> v));
        r.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
    }

    /** Exactly what order-service does: Spring's Jackson2JsonMessageConverter on a RabbitTemplate. */
    private static RabbitTemplate orderServiceTemplate() {
        RabbitTemplate t = new RabbitTemplate(CF);
        t.setMessageConverter(new Jackson2JsonMessageConverter());
        return t;
    }

    @BeforeEach
    void drainAlerts() {
        await().atMost(Duration.ofSeconds(30)).until(() -> ADMIN.getQueueInfo(QUEUE) != null
                && ADMIN.getQueueInfo(QUEUE).getConsumerCount() > 0);
        while (raw.receive(ALERTS) != null) {
            // leftovers of another test
        }
    }

    @Autowired
    org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry listeners;

    /** Stop the app's consumers first: a running listener container would re-declare the queues we delete. */
    @AfterAll
    void cleanUp() {
        NAMES.tearDown(listeners, ADMIN, CF);
    }

    private JsonNode nextAlert(long timeoutMs) throws Exception {
        Message m = raw.receive(ALERTS, timeoutMs);
        return m == null ? null : JSON.readTree(m.getBody());
    }

    private void sendAnomalous(String id) {
        // order-service's event has no processing metrics; ours may carry them (as some producers add them)
        raw.send(EXCHANGE, "order.created", MessageBuilder.withBody(("{\"id\":\"" + id + "\",\"productId\":\"SKU-1\","
                + "\"quantity\":40,\"status\":\"CREATED\",\"avgProcessingMs\":7000,\"paymentScore\":0.05}").getBytes())
                .setContentType(MessageProperties.CONTENT_TYPE_JSON).build());
    }

    private double eventPredictions() {
        var c = meters.find("advisor.predictions").tags("source", "event", "outcome", "ok", "model", "order-anomaly").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anOrderServiceStyleMessageProducesAnAlertWithTheRightFields() throws Exception {
        double eventsScoredBefore = eventPredictions();
        // A huge quantity (40 items) is an anomaly on its own; the other features are imputed from training medians.
        orderService.convertAndSend(EXCHANGE, "order.created", new OrderCreatedEvent("o-1001", "SKU-7", 40, "CREATED"));
        JsonNode alert = nextAlert(15_000);
        assertThat(alert).as("alert for o-1001").isNotNull();
        assertThat(alert.get("order_id").asText()).isEqualTo("o-1001");
        assertThat(alert.get("is_anomaly").asBoolean()).isTrue();
        double score = alert.get("anomaly_score").asDouble();
        assertThat(score).isNegative();
        assertThat(alert.get("approx_probability").asDouble()).isCloseTo(1 / (1 + Math.exp(score)), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(alert.get("model").get("name").asText()).isEqualTo("order-anomaly");
        assertThat(alert.get("model").get("version").asText()).isEqualTo("v1");
        assertThat(alert.get("prediction_id").asText()).as("the serving pipeline's id for this score").isNotBlank();
        assertThat(alert.get("imputed_features")).extracting(JsonNode::asText).containsExactly("avg_processing_ms", "payment_score");
        assertThat(alert.get("features").get("item_count").asDouble()).isEqualTo(40);
        assertThat(alert.get("features").get("avg_processing_ms").asDouble())
                .isEqualTo(MODELS.anomalyManifest.feature("avg_processing_ms").median());
        assertThat(alert.get("original_payload").get("productId").asText()).isEqualTo("SKU-7");
        assertThat(alert.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        // The same score as the offline model with the same (imputed) features.
        double expected = MODELS.anomalyModel.score(new com.orderintel.anomaly.OrderMetrics("o-1001",
                MODELS.anomalyManifest.feature("avg_processing_ms").median(), 40,
                MODELS.anomalyManifest.feature("payment_score").median())).score();
        assertThat(score).isEqualTo(expected);
        // Scored through the one serving pipeline: counted under source="event" and fed to drift monitoring.
        assertThat(eventPredictions()).isGreaterThanOrEqualTo(eventsScoredBefore + 1);
        assertThat(meters.find("advisor.feature.psi").tags("model", "order-anomaly", "feature", "item_count").gauge())
                .as("drift gauge of the served anomaly model").isNotNull()
                .satisfies(g -> assertThat(g.value()).as("PSI over a window that holds this event").isFinite());
        assertThat(meters.get("advisor.anomaly.rate").tag("model", "order-anomaly").gauge().value()).isPositive();
        // Confirmed, counted, and nothing left waiting for a confirm.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.get("advisor.alerts.published").counter().count()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("advisor.alerts.unconfirmed").gauge().value()).isZero();
        });
    }

    @Test
    void aNormalOrderProducesNoAlert() throws Exception {
        orderService.convertAndSend(EXCHANGE, "order.created", new OrderCreatedEvent("o-normal", "SKU-1", 2, "CREATED"));
        sendAnomalous("o-marker"); // processed after the normal one by the same ordered queue
        JsonNode alert = nextAlert(15_000);
        assertThat(alert).isNotNull();
        assertThat(alert.get("order_id").asText()).as("the normal order raised no alert before the marker").isEqualTo("o-marker");
    }

    @Test
    void aMalformedBodyLandsInTheDeadLetterQueueWithAReason() {
        raw.send(EXCHANGE, "order.created", MessageBuilder.withBody("{not json".getBytes())
                .setContentType(MessageProperties.CONTENT_TYPE_JSON).setHeader("__TypeId__", "com.shop.X").build());
        raw.send(EXCHANGE, "order.created", MessageBuilder.withBody("{\"productId\":\"SKU-1\"}".getBytes())
                .setContentType(MessageProperties.CONTENT_TYPE_JSON).build());
        java.util.Map<String, String> reasonByBody = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) { // two consumers: either may finish first
            Message m = raw.receive(DLQ, 15_000);
            assertThat(m).as("dead letter " + (i + 1)).isNotNull();
            reasonByBody.put(new String(m.getBody()), m.getMessageProperties().getHeader(AlertPublisher.ERROR_HEADER));
        }
        assertThat(reasonByBody.get("{not json")).startsWith("unparseable JSON");
        assertThat(reasonByBody.get("{\"productId\":\"SKU-1\"}")).isEqualTo("field 'id' is missing");
        assertThat(ADMIN.getQueueInfo(QUEUE).getMessageCount()).as("nothing left to redeliver").isZero();
    }

    @Test
    void oversizedBodiesAndOrderIdsArePoisonNotMemory() throws Exception {
        String longId = "O-" + "x".repeat(300);                       // over the identifier limit (128 characters)
        String hugeBody = "{\"id\":\"O-big\",\"note\":\"" + "y".repeat(70 * 1024) + "\"}"; // over max-body-bytes (64 KiB)
        raw.send(EXCHANGE, "order.created", MessageBuilder.withBody(("{\"id\":\"" + longId + "\",\"quantity\":40,"
                + "\"avgProcessingMs\":7000,\"paymentScore\":0.05}").getBytes()).setContentType(MessageProperties.CONTENT_TYPE_JSON).build());
        raw.send(EXCHANGE, "order.created", MessageBuilder.withBody(hugeBody.getBytes())
                .setContentType(MessageProperties.CONTENT_TYPE_JSON).build());
        java.util.List<String> reasons = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Message m = raw.receive(DLQ, 15_000);
            assertThat(m).as("dead letter " + (i + 1)).isNotNull();
            reasons.add(m.getMessageProperties().getHeader(AlertPublisher.ERROR_HEADER));
        }
        assertThat(reasons).anySatisfy(r -> assertThat(r).isEqualTo("field 'id' is 302 characters, over the limit of 128"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("body is ").endsWith("bytes, over the limit of 65536"));
        assertThat(nextAlert(500)).as("no alert for either").isNull();
    }

    @Test
    void aRedeliveredDuplicateAlertsOnce() throws Exception {
        sendAnomalous("o-dup");
        sendAnomalous("o-dup");
        sendAnomalous("o-after-dup");
        List<String> ids = new ArrayList<>();
        JsonNode a;
        // concurrent consumers: alerts may arrive in any order, so wait for both, then keep listening
        // briefly so a second "o-dup" alert (the bug this test guards against) would be caught
        while (!(ids.contains("o-dup") && ids.contains("o-after-dup")) && (a = nextAlert(5_000)) != null) {
            ids.add(a.get("order_id").asText());
        }
        while ((a = nextAlert(1_000)) != null) {
            ids.add(a.get("order_id").asText());
        }
        assertThat(ids).containsExactlyInAnyOrder("o-dup", "o-after-dup");
    }

    @Test
    void afterTheConnectionIsForciblyClosedTheConsumerResumesAndNothingIsLost() throws Exception {
        int total = 300;
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < total; i++) {
            String id = "o-conn-" + i;
            expected.add(id);
            sendAnomalous(id);
            if (i == total / 3) {
                Process p = new ProcessBuilder("rabbitmqctl", "close_all_connections", "forced by test").redirectErrorStream(true).start();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
            }
        }
        Set<String> alerted = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (alerted.size() < total && System.nanoTime() < deadline) {
            Message m = raw.receive(ALERTS, 2_000);
            if (m != null) {
                alerted.add(JSON.readTree(m.getBody()).get("order_id").asText());
            }
        }
        assertThat(alerted).as("count in == count out").isEqualTo(expected);
        assertThat(ADMIN.getQueueInfo(DLQ).getMessageCount()).isZero();
    }
}
