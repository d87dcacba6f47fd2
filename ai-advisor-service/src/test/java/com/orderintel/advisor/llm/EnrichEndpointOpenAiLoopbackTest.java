package com.orderintel.advisor.llm;

import com.orderintel.testkit.OpenAiLoopback;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/enrich} with the provider at {@link OpenAiLoopback} (OpenAI wire format on loopback) and
 * the embedding cache in the real Redis (127.0.0.1:6379) under a prefix unique to this class, removed afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EnrichEndpointOpenAiLoopbackTest {

    static final String PREFIX = "test:enrich:" + UUID.randomUUID() + ":";
    static OpenAiLoopback provider;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        provider = new OpenAiLoopback();
        registry.add("advisor.llm.provider", () -> "openai");
        registry.add("advisor.llm.openai.base-url", provider::baseUrl);
        registry.add("advisor.llm.openai.api-key", () -> "sk-endpoint-test");
        registry.add("advisor.llm.cache.enabled", () -> "true");
        registry.add("advisor.llm.cache.key-prefix", () -> PREFIX);
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", () -> "6379");
    }

    @Autowired
    TestRestTemplate http;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RedisConnectionFactory redis;

    @AfterAll
    static void stop() {
        provider.close();
    }

    @org.junit.jupiter.api.AfterEach
    void cleanRedis() {
        try (RedisConnection c = redis.getConnection()) {
            Set<byte[]> keys = c.keyCommands().keys((PREFIX + "*").getBytes(StandardCharsets.UTF_8));
            if (keys != null && !keys.isEmpty()) {
                c.keyCommands().del(keys.toArray(byte[][]::new));
            }
        }
    }

    @Test
    void secondCallIsServedFromTheRedisCache() {
        String note = "Deliver after 6pm please, nobody home before " + UUID.randomUUID();
        double hitsBefore = hits();

        JsonNode first = http.postForObject("/api/v1/enrich", Map.of("text", note), JsonNode.class);
        JsonNode second = http.postForObject("/api/v1/enrich", Map.of("text", note), JsonNode.class);

        assertThat(first.get("source").asText()).isEqualTo("provider");
        assertThat(second.get("source").asText()).isEqualTo("cache");
        assertThat(second.get("dimensions").asInt()).isEqualTo(OpenAiLoopback.DIMS);
        assertThat(second.get("embedding")).isEqualTo(first.get("embedding"));
        assertThat(first.get("embedding").get(0).floatValue()).isEqualTo(OpenAiLoopback.vectorFor(note)[0]);
        assertThat(first.get("category").asText()).isEqualTo("delivery");
        assertThat(provider.calls("embeddings")).isEqualTo(1);
        assertThat(hits() - hitsBefore).isEqualTo(1);
    }

    @Test
    void blankTextIsAProblemNamingTheField() {
        ResponseEntity<JsonNode> r = http.postForEntity("/api/v1/enrich", Map.of("text", "  "), JsonNode.class);
        assertThat(r.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(r.getBody().toString()).contains("text").contains("must be a non-empty string");
    }

    private double hits() {
        var c = meters.find("advisor.llm.cache.requests").tag("result", "hit").counter();
        return c == null ? 0 : c.count();
    }
}
