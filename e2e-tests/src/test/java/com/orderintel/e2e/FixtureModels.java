package com.orderintel.e2e;

import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The anomaly model packages the real training runner made for the service's tests
 * ({@code ai-advisor-service/src/test/resources/models}: v1 100 trees, v2 50 trees), published into a scenario's registry.
 */
final class FixtureModels {

    private FixtureModels() {
    }

    static Path anomalyPackage(String version) {
        return Processes.ROOT.resolve("ai-advisor-service/src/test/resources/models/anomaly-" + version);
    }

    static ModelManifest manifest(Path pkg) {
        try {
            Path m = pkg.resolve(ManifestCodec.FILE_NAME);
            return ManifestCodec.read(Files.readAllBytes(m), m.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes anomaly {@code version} to {@code store} and, when {@code alias} is given, points it there. */
    static void publish(ModelStore store, String version, String alias) {
        Path pkg = anomalyPackage(version);
        ModelManifest m = manifest(pkg);
        store.publish(m, pkg.resolve(m.artifact().file()));
        if (alias != null) {
            store.promote(m.name(), alias, m.version(), "fault-suite");
        }
    }
}
