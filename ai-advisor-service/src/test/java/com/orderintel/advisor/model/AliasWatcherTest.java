package com.orderintel.advisor.model;

import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ModelManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica serving {@code ...@production} follows the alias: a promote swaps the new version in, a rollback swaps
 * back, and a promoted version that fails validation is refused (metric), leaving the serving one in place.
 */
class AliasWatcherTest {

    @TempDir
    Path dir;

    @Test
    void followsPromoteAndRollbackAndRefusesABrokenVersion() throws Exception {
        WatcherRig rig = new WatcherRig(dir.resolve("registry"));
        rig.store.promote("order-anomaly", "production", "v1");
        ModelProperties properties = WatcherRig.properties(rig.uri("production"), Duration.ofSeconds(30), null);
        ModelLifecycle lifecycle = new ModelLifecycle(properties, rig.loading, rig.served);
        AliasWatcher watcher = new AliasWatcher(properties, rig.served, lifecycle, rig.meters);
        rig.served.install(rig.loading.loadAll(properties.configured(), ModelLifecycle.EXPECTED_SLOTS));

        assertThat(watcher.checkOnce()).as("nothing moved").isEmpty();
        assertThat(version(rig.served)).isEqualTo("v1");

        rig.store.promote("order-anomaly", "production", "v2");
        assertThat(watcher.checkOnce()).hasSize(1);
        assertThat(version(rig.served)).isEqualTo("v2");

        rig.store.rollback("order-anomaly", "production");
        watcher.checkOnce();
        assertThat(version(rig.served)).isEqualTo("v1");

        // v3 is published intact, then its artifact is damaged in the registry: promoted, it must be refused
        Path pkg = TrainedModels.fixture("anomaly-v3");
        ModelManifest v3 = TrainedModels.manifest(pkg);
        rig.store.publish(v3, pkg.resolve(v3.artifact().file()));
        Path artifact = dir.resolve("registry").resolve("v3").resolve("order-anomaly").resolve(v3.artifact().file());
        byte[] bytes = Files.readAllBytes(artifact);
        bytes[bytes.length / 2] ^= 1;
        Files.write(artifact, bytes);
        rig.store.promote("order-anomaly", "production", "v3");
        assertThat(watcher.checkOnce()).isEmpty();
        assertThat(version(rig.served)).as("the serving version stays").isEqualTo("v1");
        assertThat(rig.meters.get("advisor.model.alias.refused").tags("model", "order-anomaly", "version", "v3").gauge().value())
                .isEqualTo(1.0);
        assertThat(rig.meters.get("advisor.model.load.failures").tag("reason", "CHECKSUM_MISMATCH").counter().count()).isEqualTo(1.0);
        watcher.checkOnce();
        assertThat(rig.meters.get("advisor.model.load.failures").tag("reason", "CHECKSUM_MISMATCH").counter().count())
                .as("a refused version is not retried until the alias moves").isEqualTo(1.0);

        rig.store.promote("order-anomaly", "production", "v2");
        watcher.checkOnce();
        assertThat(version(rig.served)).isEqualTo("v2");
        assertThat(rig.meters.find("advisor.model.alias.refused").gauges()).allSatisfy(g -> assertThat(g.value()).isNaN());
    }

    @Test
    void theShadowFollowsItsOwnAliasAndSwapsWithTheServedModelOnPromote() throws Exception {
        WatcherRig rig = new WatcherRig(dir.resolve("registry"));
        rig.store.promote("order-anomaly", "production", "v1");
        rig.store.promote("order-anomaly", "staging", "v2");
        ModelProperties properties = WatcherRig.properties(rig.uri("production"), Duration.ofSeconds(30), rig.uri("staging"));
        ModelLifecycle lifecycle = new ModelLifecycle(properties, rig.loading, rig.served);
        AliasWatcher watcher = new AliasWatcher(properties, rig.served, lifecycle, rig.meters);
        rig.served.install(rig.loading.loadAll(properties.configured(), ModelLifecycle.EXPECTED_SLOTS));
        rig.served.installShadows(rig.loading.loadAll(properties.configuredShadows(), ModelLifecycle.EXPECTED_SLOTS));
        assertThat(rig.served.snapshot().shadow(ModelSlot.ANOMALY).orElseThrow().version()).isEqualTo("v2");

        // promote the candidate and point staging at the replaced version: one pass swaps both, no restart
        rig.store.promote("order-anomaly", "production", "v2");
        rig.store.promote("order-anomaly", "staging", "v1");
        assertThat(watcher.checkOnce()).extracting(LoadedModel::version).containsExactly("v2", "v1");
        assertThat(version(rig.served)).isEqualTo("v2");
        assertThat(rig.served.snapshot().shadow(ModelSlot.ANOMALY).orElseThrow().version()).isEqualTo("v1");

        // a plain promote (staging left alone) makes serving and shadow the same version: nothing left to compare
        rig.store.promote("order-anomaly", "staging", "v2");
        watcher.checkOnce();
        assertThat(rig.served.snapshot().shadows()).extracting(LoadedModel::version).containsExactly("v2");
        assertThat(rig.served.snapshot().shadow(ModelSlot.ANOMALY)).as("same version as served: no shadow scoring").isEmpty();
    }

    private static String version(ServedModels served) {
        return WatcherRig.version(served);
    }
}
