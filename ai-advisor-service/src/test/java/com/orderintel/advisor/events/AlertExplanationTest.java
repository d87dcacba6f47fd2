package com.orderintel.advisor.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.TrainedModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Alert explanations end to end, against the real RabbitMQ on this machine (names unique to the run,
 * deleted afterwards): an order whose only odd feature is its payment score raises an alert that names
 * payment_score first, in plain words, with nearly all of the attribution.
 */
@BrokerRunTest
@SpringBootTest(properties = {
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
                + "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration"})
class AlertExplanationTest {

    private static final TestTopology NAMES = TestTopology.unique("explain");
    private static final TrainedModels MODELS = TrainedModels.create();
    private static final CachingConnectionFactory CF = new CachingConnectionFactory("127.0.0.1", 5672);
    private static final RabbitAdmin ADMIN = new RabbitAdmin(CF);
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        CF.setUsername("guest");
        CF.setPassword("guest");
        NAMES.declare(ADMIN);
    }

    private final RabbitTemplate raw = new RabbitTemplate(CF);

    @Autowired
    org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry listeners;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        NAMES.properties().forEach((k, v) -> r.add(k, () -> v));
        r.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
    }

    @AfterAll
    void cleanUp() {
        NAMES.tearDown(listeners, ADMIN, CF);
    }

    private void send(String id, double processingMs, double items, double paymentScore) {
        raw.send(NAMES.exchange(), "order.created", MessageBuilder.withBody(("{\"id\":\"" + id + "\",\"productId\":\"SKU-1\","
                + "\"quantity\":" + (int) items + ",\"status\":\"CREATED\",\"avgProcessingMs\":" + processingMs
                + ",\"paymentScore\":" + paymentScore + "}").getBytes())
                .setContentType(MessageProperties.CONTENT_TYPE_JSON).build());
    }

    private JsonNode alertFor(String orderId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Message m = raw.receive(NAMES.alerts(), 1000);
            if (m != null) {
                JsonNode alert = JSON.readTree(m.getBody());
                if (alert.get("order_id").asText().equals(orderId)) {
                    return alert;
                }
            }
        }
        return null;
    }

    @Test
    void anAlertForAnOrderOddOnlyInPaymentScoreNamesPaymentScoreFirst() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> ADMIN.getQueueInfo(NAMES.queue()) != null
                && ADMIN.getQueueInfo(NAMES.queue()).getConsumerCount() > 0);
        double medianMs = MODELS.anomalyManifest.feature("avg_processing_ms").median();
        double medianItems = MODELS.anomalyManifest.feature("item_count").median();
        String id = "explain-" + System.nanoTime();
        send(id, medianMs, medianItems, 0.06);

        JsonNode alert = alertFor(id);
        assertThat(alert).as("alert for %s", id).isNotNull();
        assertThat(alert.get("is_anomaly").asBoolean()).isTrue();
        JsonNode explanation = alert.get("explanation");
        JsonNode top = explanation.get("features").get(0);
        assertThat(top.get("feature").asText()).isEqualTo("payment_score");
        assertThat(top.get("path_effect").asDouble()).isNegative();
        assertThat(top.get("share").asDouble()).as("nearly all of the attribution").isGreaterThan(0.8);
        assertThat(top.get("training_percentile").asDouble()).isLessThan(1.0);
        assertThat(top.get("text").asText()).matches("payment_score 0\\.06 is below 99\\.\\d % of training orders");
        assertThat(explanation.get("summary").asText()).startsWith("payment_score 0.06 is below 99.")
                .doesNotContain("avg_processing_ms").doesNotContain("item_count");
        double effects = 0;
        for (JsonNode f : explanation.get("features")) {
            effects += f.get("path_effect").asDouble();
        }
        assertThat(explanation.get("mean_path").asDouble() - explanation.get("expected_path").asDouble())
                .isCloseTo(effects, within(1e-9));
        // the attribution is the model's own: the same explanation offline, from the same trees
        var offline = MODELS.anomalyModel.explain(new com.orderintel.anomaly.OrderMetrics(id, medianMs, medianItems, 0.06));
        assertThat(explanation.get("summary").asText()).isEqualTo(offline.summary());
    }
}
