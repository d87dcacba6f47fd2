package com.orderintel.advisor.llm;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The paid LLM path is rate-limited per instance: 3 per hour here, the 4th is a 429 problem. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false", "spring.cloud.vault.enabled=false",
        "advisor.llm.rate-limit.limit-for-period=3", "advisor.llm.rate-limit.refresh-period=1h"})
class EnrichRateLimitTest {

    @Autowired
    TestRestTemplate http;

    @Test
    void beyondTheLimitIs429() {
        assertThat(http.postForEntity("/api/v1/enrich", Map.of("text", " "), JsonNode.class).getStatusCode().value())
                .as("invalid requests do not use the budget").isEqualTo(400);
        for (int i = 0; i < 3; i++) {
            assertThat(http.postForEntity("/api/v1/enrich", Map.of("text", "leave at the door " + i), JsonNode.class)
                    .getStatusCode().value()).isEqualTo(200);
        }
        ResponseEntity<JsonNode> limited = http.postForEntity("/api/v1/enrich", Map.of("text", "one more"), JsonNode.class);
        assertThat(limited.getStatusCode().value()).isEqualTo(429);
        assertThat(limited.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(limited.getBody().get("type").asText()).endsWith("/rate-limited");
        assertThat(limited.getBody().get("retry_after_seconds").asLong()).isEqualTo(3600);
    }
}
