package com.orderintel.advisor.support;

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

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app on a random port serving both models trained once per JVM (so subclasses share one Spring context).
 * RabbitMQ listeners and Vault are not part of these tests and stay off (the app itself runs without a database).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false",
        "spring.rabbitmq.listener.simple.auto-startup=false",
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        Credentials.ADMIN_TOKEN_PROPERTY, Credentials.READ_TOKEN_PROPERTY, Credentials.FEEDBACK_TOKEN_PROPERTY})
@AutoConfigureObservability
public abstract class ServingTestBase {

    protected static final TrainedModels MODELS = Shared.MODELS;

    @Autowired
    protected TestRestTemplate http;

    /** The shared client speaks as admin (the security tests use their own anonymous / role clients). */
    @org.junit.jupiter.api.BeforeEach
    void speakAsAdmin() {
        Credentials.asAdmin(http);
    }

    @DynamicPropertySource
    static void modelUris(DynamicPropertyRegistry registry) {
        registry.add("advisor.models.demand-uri", () -> MODELS.demandUri);
        registry.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
    }

    protected ResponseEntity<String> post(String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.postForEntity(path, new HttpEntity<>(json, headers), String.class);
    }

    /** Waits (bounded) for the background load to finish. */
    protected void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().is2xxSuccessful()) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value()).isEqualTo(200);
    }

    private static final class Shared {
        static final TrainedModels MODELS = TrainedModels.create();
    }
}
