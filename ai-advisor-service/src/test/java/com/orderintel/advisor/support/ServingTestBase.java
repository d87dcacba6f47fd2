package com.orderintel.advisor.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app on a random port serving both models trained once per JVM (so subclasses share one Spring context).
 * RabbitMQ listeners and Vault are not part of these tests and stay off (the app itself runs without a database).
 */
@ServingApp
public abstract class ServingTestBase extends AppTestBase {

    protected static final TrainedModels MODELS = Shared.MODELS;

    @DynamicPropertySource
    static void modelUris(DynamicPropertyRegistry registry) {
        MODELS.serveBoth(registry);
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
