package com.orderintel.advisor.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.AppTestBase;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.PrometheusText;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.anomaly.CraftedForests;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelManifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running service (file registry in a temp dir, alias watcher every 200 ms) meets promoted versions it must
 * refuse: a valid isolation forest too large to serve once its trees are padded for scoring (TOO_LARGE, from the
 * serving budget, before anything big is allocated) and one whose load throws an OutOfMemoryError (a test codec).
 * Each is counted ({@code advisor_model_load_failures_total{reason}}), shows in
 * {@code advisor_model_alias_refused{model,alias,version}}, the old version keeps serving, liveness holds, and the
 * good version promoted afterwards is served within a few watcher intervals. Before the budget the first promote
 * built the padded trees (about 70 times the artifact); before the watcher caught every Throwable the second
 * killed its periodic task silently and no later promote was applied.
 */
@Tag("attack")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false",
        "spring.rabbitmq.listener.simple.auto-startup=false",
        "spring.cloud.vault.enabled=false",
        "advisor.capture.enabled=false",
        "advisor.models.watch-interval=200ms",
        Credentials.ADMIN_TOKEN_PROPERTY})
class OversizedModelAliasTest extends AppTestBase {

    private static final TrainedModels MODELS = TrainedModels.create();

    @DynamicPropertySource
    static void modelUri(DynamicPropertyRegistry registry) {
        MODELS.store.promote("order-anomaly", "production", "v1");
        registry.add("advisor.models.anomaly-uri", () -> MODELS.registryLocation() + "/order-anomaly@production");
    }

    /** Publishes {@code artifact} as anomaly model {@code version} with artifact format {@code format}. */
    private static void publish(String version, String format, byte[] artifact) {
        try {
            Path pkg = Files.createDirectories(MODELS.dir.resolve("pkg-" + version));
            ModelManifest m = MODELS.anomalyManifest;
            ModelManifest crafted = new ModelManifest(m.schemaVersion(), m.name(), version, m.task(), m.algorithm(),
                    m.target(), m.features(), m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(),
                    new ModelManifest.ArtifactRef(m.artifact().file(), format, Checksums.sha256(artifact), artifact.length),
                    m.libraries(), m.extensions());
            Files.write(pkg.resolve(m.artifact().file()), artifact);
            MODELS.publish(pkg, crafted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void refusedVersionsAreCountedAndShownAndTheNextGoodPromoteIsServed() throws Exception {
        awaitTrue("ready on v1", () -> status("/actuator/health/readiness") == 200);
        assertThat(servedVersion()).isEqualTo("v1");

        // 2,000 chain trees of depth 12: a 2.4 MB artifact that pads to 238 MB for scoring
        publish("padded", "isolation-forest-flat/v1", CraftedForests.chainArtifact(2_000, 12));
        MODELS.store.promote("order-anomaly", "production", "padded");
        awaitTrue("the padded version refused", () -> refused("padded") == 1);
        PrometheusText metrics = prometheus();
        assertThat(metrics.value("advisor_model_load_failures_total", "model", "order-anomaly", "reason", "TOO_LARGE")).isEqualTo(1);
        assertThat(servedVersion()).as("the old version keeps serving").isEqualTo("v1");
        assertThat(status("/actuator/health/liveness")).isEqualTo(200);

        // a load that throws an OutOfMemoryError
        publish("oom", ErrorThrowingCodec.FORMAT, new byte[] {1, 2, 3});
        MODELS.store.promote("order-anomaly", "production", "oom");
        awaitTrue("the oom version refused", () -> refused("oom") == 1);
        metrics = prometheus();
        assertThat(metrics.value("advisor_model_load_failures_total", "model", "order-anomaly", "reason", "TOO_LARGE")).isEqualTo(2);
        assertThat(metrics.find("advisor_model_alias_refused", "version", "padded")).as("one row per alias").isEmpty();
        assertThat(servedVersion()).isEqualTo("v1");
        assertThat(status("/actuator/health/liveness")).isEqualTo(200);

        // the next good promote is applied by the same watcher
        MODELS.publishAnomalyVersion("v2");
        MODELS.store.promote("order-anomaly", "production", "v2");
        Instant promoted = Instant.now();
        awaitTrue("v2 served", () -> "v2".equals(servedVersionOrNull()));
        System.out.printf("v2 served %d ms after its promote (watch interval 200 ms)%n",
                Duration.between(promoted, Instant.now()).toMillis());
        assertThat(prometheus().find("advisor_model_alias_refused")).allSatisfy(s -> assertThat(s.value()).isNaN());

        // an admin reload of the padded version is a 422 problem naming the budget, not a 500
        ResponseEntity<String> reload = post("/api/v1/admin/models/reload", "{\"anomaly_uri\":\""
                + MODELS.registryLocation() + "/padded/order-anomaly\"}");
        assertThat(reload.getStatusCode().value()).as(reload.getBody()).isEqualTo(422);
        JsonNode problem = json.readTree(reload.getBody());
        assertThat(problem.get("reason").asText()).isEqualTo("TOO_LARGE");
        assertThat(problem.get("detail").asText()).contains("too large to serve", "complete trees of depth 12",
                "MODEL_MAX_SERVING_BYTES");
        assertThat(servedVersion()).isEqualTo("v2");
    }

    private double refused(String version) {
        return prometheus().value("advisor_model_alias_refused", "model", "order-anomaly", "alias", "production",
                "version", version);
    }

    private PrometheusText prometheus() {
        return PrometheusText.parse(http.getForObject("/actuator/prometheus", String.class));
    }

    private String servedVersion() throws Exception {
        return json.readTree(http.getForObject("/api/v1/models/order-anomaly", String.class)).get("version").asText();
    }

    private String servedVersionOrNull() {
        try {
            return servedVersion();
        } catch (Exception e) {
            return null;
        }
    }


    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not there yet (e.g. the metric has no such row)
            }
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(what + " within 30 s").isTrue();
    }
}
