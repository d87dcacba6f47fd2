package com.orderintel.advisor.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events on with the broker unreachable (127.0.0.1:1): the models load, liveness is UP, but readiness is DOWN
 * because the broker is part of readiness when events are on; and the cache on with Redis unreachable shows Redis
 * DOWN in health (the contributor exists because the feature is on).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=true", "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=1",
        "spring.rabbitmq.connection-timeout=1s",
        "advisor.llm.cache.enabled=true", "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1",
        "management.endpoint.health.show-details=always", "management.endpoint.health.show-components=always",
        "spring.cloud.vault.enabled=false", "advisor.models.load-attempts=1"})
class ReadinessWithBrokerDownTest extends AnomalyModelTestBase {

    @Test
    void readinessNeedsTheBrokerWhenEventsAreOn() throws Exception {
        ObjectMapper json = new ObjectMapper();
        // wait until the model is loaded (the readinessState component turns UP), then readiness must still be DOWN
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode readiness;
        do {
            Thread.sleep(100);
            readiness = json.readTree(http.getForEntity("/actuator/health/readiness", String.class).getBody());
        } while (!"UP".equals(readiness.at("/components/readinessState/status").asText()) && Instant.now().isBefore(deadline));
        assertThat(readiness.at("/components/readinessState/status").asText()).as("models loaded").isEqualTo("UP");
        ResponseEntity<String> r = http.getForEntity("/actuator/health/readiness", String.class);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(503);
        assertThat(json.readTree(r.getBody()).at("/components/rabbit/status").asText()).isEqualTo("DOWN");
        assertThat(http.getForEntity("/actuator/health/liveness", String.class).getStatusCode().value()).isEqualTo(200);
        JsonNode health = json.readTree(http.getForEntity("/actuator/health", String.class).getBody());
        assertThat(health.at("/components/redis/status").asText()).as("cache on: redis reported").isEqualTo("DOWN");
    }
}
