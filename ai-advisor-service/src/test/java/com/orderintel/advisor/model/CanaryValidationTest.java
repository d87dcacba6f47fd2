package com.orderintel.advisor.model;

import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.anomaly.IsolationForestCodec;
import com.orderintel.forecast.LinearDemandCodec;
import com.orderintel.forecast.LinearDemandModel;
import com.orderintel.prompt.PromptRegistry;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Models whose artifacts pass the checksum (they are published with their true sha256) and decode, but predict
 * nonsense on the canary rows built from the training profile, are refused before they can serve.
 */
class CanaryValidationTest {

    private static final TrainedModels MODELS = TrainedModels.create();

    @TempDir
    Path tmp;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ModelLoading loading = new ModelLoading(new ModelMetrics(meters, Clock.systemUTC()), Clock.systemUTC(),
            new PromptRegistry(List.of()));

    @Test
    void theRealModelsPassTheirCanaries() {
        assertThat(loading.load("anomaly-uri", MODELS.anomalyUri, ModelSlot.ANOMALY).version()).isEqualTo("v1");
        assertThat(loading.load("demand-uri", MODELS.demandUri, ModelSlot.DEMAND).version()).isEqualTo("v1");
    }

    @Test
    void anAnomalyModelWhoseThresholdFlagsEverythingIsRefused() throws IOException {
        // the real trees with a contamination offset no training data can produce: every decision is about -5.4
        byte[] artifact = IsolationForestCodec.encode(MODELS.anomalyModel.forest(), 5.0);
        String uri = publish(MODELS.anomalyManifest, "v-offset", artifact);
        assertRefusedByCanary(() -> loading.load("anomaly-uri", uri, ModelSlot.ANOMALY), "canary score");
    }

    @Test
    void aDemandModelPredictingAbsurdDemandIsRefused() throws IOException {
        Map<String, LinearDemandModel.Coefficients> absurd = new HashMap<>();
        MODELS.demandModel.coefficients().forEach((product, c) -> absurd.put(product,
                new LinearDemandModel.Coefficients(1e12, c.weights())));
        String uri = publish(MODELS.demandManifest, "v-absurd", LinearDemandCodec.encode(absurd));
        assertRefusedByCanary(() -> loading.load("demand-uri", uri, ModelSlot.DEMAND), "canary forecast");
    }

    @Test
    void aDemandModelPredictingNaNIsRefused() throws IOException {
        Map<String, LinearDemandModel.Coefficients> nan = new HashMap<>();
        MODELS.demandModel.coefficients().forEach((product, c) -> nan.put(product,
                new LinearDemandModel.Coefficients(Double.NaN, c.weights())));
        String uri = publish(MODELS.demandManifest, "v-nan", LinearDemandCodec.encode(nan));
        // refused by the codec's own checks or, failing those, by the canary: never served
        assertThatThrownBy(() -> loading.load("demand-uri", uri, ModelSlot.DEMAND))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(uri);
    }

    private void assertRefusedByCanary(org.assertj.core.api.ThrowableAssert.ThrowingCallable load, String what) {
        assertThatThrownBy(load).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("failed validation").hasMessageContaining(what)
                .satisfies(e -> assertThat(((ModelLoadException) e).reason()).isEqualTo(RegistryException.Reason.VALIDATION));
        assertThat(meters.get("advisor.model.load.failures").tag("reason", "VALIDATION").counter().count()).isEqualTo(1.0);
    }

    /** Publishes {@code artifact} under the fixture's manifest with its true checksum, as a new version. */
    private String publish(ModelManifest m, String version, byte[] artifact) throws IOException {
        Path file = tmp.resolve(m.artifact().file());
        Files.write(file, artifact);
        ModelManifest crafted = new ModelManifest(m.schemaVersion(), m.name(), version, m.task(), m.algorithm(), m.target(),
                m.features(), m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(),
                new ModelManifest.ArtifactRef(m.artifact().file(), m.artifact().format(), Checksums.sha256(artifact), artifact.length),
                m.libraries(), m.extensions());
        return MODELS.store.publish(crafted, file).toString();
    }
}
