package com.orderintel.advisor.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.AdvisorApplication;
import com.orderintel.advisor.support.TrainedModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the service in the middle of a stream of events against the real RabbitMQ: every event is either
 * alerted (and acked) or still in our queue for the next consumer, never both (an alert confirmed but its ack
 * lost with the channel) and never neither (lost). Names unique to the run, deleted afterwards.
 */
class GracefulShutdownTest {

    private static final TrainedModels MODELS = TrainedModels.create();
    private final TestTopology names = TestTopology.unique("drain");
    private final String exchange = names.exchange();
    private final String queue = names.queue();
    private final CachingConnectionFactory cf = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(cf);

    @AfterEach
    void cleanUp() {
        names.delete(admin);
        cf.destroy();
    }

    private static String[] args(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    @Test
    void shutdownMidStreamLosesNothingAndAlertsNothingTwice() throws Exception {
        names.declare(admin);
        Map<String, String> properties = new java.util.HashMap<>(names.properties());
        properties.putAll(Map.of("server.port", "0", "spring.cloud.vault.enabled", "false",
                "advisor.models.load-attempts", "1", "advisor.models.anomaly-uri", MODELS.anomalyUri,
                "advisor.events.prefetch", "200"));
        // Command-line arguments, not builder defaults: application.yml's own defaults would win over those.
        ConfigurableApplicationContext service = new SpringApplicationBuilder(AdvisorApplication.class).run(args(properties));
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.getQueueInfo(queue) != null
                && admin.getQueueInfo(queue).getConsumerCount() > 0);

        RabbitTemplate orderService = new RabbitTemplate(cf);
        int total = 20_000;
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < total; i++) {
            String id = "drain-" + i;
            sent.add(id);
            orderService.send(exchange, "order.created", MessageBuilder.withBody(("{\"id\":\"" + id
                            + "\",\"productId\":\"SKU-1\",\"quantity\":40,\"status\":\"CREATED\"}").getBytes(StandardCharsets.UTF_8))
                    .setContentType(MessageProperties.CONTENT_TYPE_JSON).build());
        }
        // Close while the stream is being worked on: some alerts out, many events still queued or in flight.
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.getQueueInfo(names.alerts()).getMessageCount() >= 1_000);
        service.close();

        ObjectMapper json = new ObjectMapper();
        RabbitTemplate reader = new RabbitTemplate(cf);
        Set<String> alerted = new HashSet<>();
        int alertMessages = 0;
        for (Message m; (m = reader.receive(names.alerts())) != null; alertMessages++) {
            alerted.add(json.readTree(m.getBody()).get("order_id").asText());
        }
        Set<String> stillQueued = new HashSet<>();
        for (Message m; (m = reader.receive(queue)) != null; ) {
            stillQueued.add(json.readTree(m.getBody()).get("id").asText());
        }
        assertThat(alerted).as("some alerts before the shutdown").isNotEmpty();
        assertThat(stillQueued).as("closed mid-stream: events left for the next consumer").isNotEmpty();
        assertThat(alertMessages).as("no event alerted twice").isEqualTo(alerted.size());
        assertThat(alerted).as("no event both alerted and left for redelivery").doesNotContainAnyElementsOf(stillQueued);
        Set<String> accounted = new HashSet<>(alerted);
        accounted.addAll(stillQueued);
        assertThat(accounted).as("every event alerted or still queued").isEqualTo(sent);
        assertThat(admin.getQueueInfo(names.deadLetterQueue()).getMessageCount()).isZero();
    }
}
