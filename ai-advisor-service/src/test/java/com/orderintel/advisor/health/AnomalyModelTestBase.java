package com.orderintel.advisor.health;

import com.orderintel.advisor.support.TrainedModels;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app serving only the anomaly model (trained once for the health tests, which only read it); each subclass
 * says with its own {@code @SpringBootTest} which dependencies are unreachable.
 */
abstract class AnomalyModelTestBase {

    static final TrainedModels MODELS = TrainedModels.create();

    @Autowired
    TestRestTemplate http;

    @DynamicPropertySource
    static void models(DynamicPropertyRegistry r) {
        r.add("advisor.models.anomaly-uri", () -> MODELS.anomalyUri);
    }
}
