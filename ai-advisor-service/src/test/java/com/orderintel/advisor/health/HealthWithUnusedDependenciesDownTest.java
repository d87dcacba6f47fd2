package com.orderintel.advisor.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.Credentials;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis and RabbitMQ unreachable (127.0.0.1:1) while the LLM cache, shared claims and events are off (the defaults):
 * health is UP and names neither, readiness is UP once the models are loaded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1",
        "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=1",
        "advisor.llm.cache.enabled=false", "advisor.events.shared-claims=false", "advisor.events.enabled=false",
        "spring.cloud.vault.enabled=false", "advisor.models.load-attempts=1",
        Credentials.READ_TOKEN_PROPERTY})
class HealthWithUnusedDependenciesDownTest extends AnomalyModelTestBase {

    @Test
    void unusedRedisAndBrokerDoNotMakeTheServiceUnhealthy() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value() != 200
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value()).isEqualTo(200);
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(Credentials.READ_TOKEN);
        ResponseEntity<String> health = http.exchange("/actuator/health", HttpMethod.GET, new HttpEntity<>(headers), String.class);
        assertThat(health.getStatusCode().value()).as(health.getBody()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(health.getBody());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("components").has("readinessState")).as("details visible to role read").isTrue();
        assertThat(body.get("components").has("redis")).isFalse();
        assertThat(body.get("components").has("rabbit")).isFalse();
        assertThat(body.get("components").has("db")).as("no datasource configured").isFalse();
    }
}
