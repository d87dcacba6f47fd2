package com.orderintel.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Valid manifests for registry tests, describing given artifact bytes. */
public final class Manifests {
    private Manifests() {
    }

    public static ModelManifest forArtifact(String name, String version, byte[] artifact) {
        return new ModelManifest(1, name, version, ModelManifest.Task.ANOMALY,
                new ModelManifest.AlgorithmSpec("isolation-forest", Map.of("n_estimators", 200)), null,
                List.of(new ModelManifest.FeatureSpec("avg_processing_ms", ModelManifest.FeatureType.NUMERIC, 1.0, 9.0, 5.0,
                        new ModelManifest.Histogram(List.of(1.0, 5.0, 9.0), List.of(0.5, 0.5)), null)),
                Map.of("precision", 1.0), new ModelManifest.DatasetRef("file:///data.csv", "0".repeat(64), 15),
                "abc", Instant.parse("2026-11-25T00:00:00Z"),
                new ModelManifest.ArtifactRef("model.bin", "test/v1", Checksums.sha256(artifact), artifact.length),
                Map.of("java", "25"), null);
    }
}
