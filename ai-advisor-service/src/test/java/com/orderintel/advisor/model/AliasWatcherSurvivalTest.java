package com.orderintel.advisor.model;

import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.anomaly.CraftedForests;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ModelManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.orderintel.advisor.scheduling.SchedulingConfiguration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No failure of one load stops the alias watcher or leaves a replica stuck: an Error thrown by a reload (not only a
 * RuntimeException) is caught by the periodic task, which keeps running and applies the next promote; a replica
 * whose start-up load was refused becomes ready when its alias moves to a version that loads.
 */
@Tag("attack")
class AliasWatcherSurvivalTest {

    @TempDir
    Path dir;

    /** The rig's registry plus version "padded". */
    private WatcherRig rig() throws Exception {
        WatcherRig rig = new WatcherRig(dir.resolve("registry"));
        // a valid forest too large to serve: 2,000 chain trees of depth 12 pad to 238 MB for scoring
        byte[] artifact = CraftedForests.chainArtifact(2_000, 12);
        ModelManifest m = TrainedModels.manifest(TrainedModels.fixture("anomaly-v1"));
        ModelManifest padded = new ModelManifest(m.schemaVersion(), m.name(), "padded", m.task(), m.algorithm(), m.target(),
                m.features(), m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(),
                new ModelManifest.ArtifactRef(m.artifact().file(), m.artifact().format(), Checksums.sha256(artifact),
                        artifact.length), m.libraries(), m.extensions());
        Path pkg = Files.createDirectories(dir.resolve("pkg-padded"));
        Files.write(pkg.resolve(m.artifact().file()), artifact);
        rig.store.publish(padded, pkg.resolve(m.artifact().file()));
        return rig;
    }

    @Test
    void anErrorThrownByAReloadDoesNotStopThePeriodicWatcher() throws Exception {
        WatcherRig rig = rig();
        rig.store.promote("order-anomaly", "production", "v1");
        ModelProperties properties = WatcherRig.properties(rig.uri("production"), Duration.ofMillis(20), null);
        AtomicInteger errors = new AtomicInteger();
        // the test hook: the first reload throws an Error out of the lifecycle itself, past every load-level catch
        ModelLifecycle lifecycle = new ModelLifecycle(properties, rig.loading, rig.served) {
            @Override
            List<LoadedModel<?>> reloadSlot(ModelSlot<?> slot, String u) {
                if (errors.getAndIncrement() == 0) {
                    throw new OutOfMemoryError("Java heap space (test hook)");
                }
                return super.reloadSlot(slot, u);
            }
        };
        rig.served.install(rig.loading.loadAll(properties.configured(), ModelLifecycle.EXPECTED_SLOTS));
        rig.served.markInitialLoadComplete();
        AliasWatcher watcher = new AliasWatcher(properties, rig.served, lifecycle, rig.meters);
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler(); // as the service's one task scheduler
        scheduler.initialize();
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();
        registrar.setTaskScheduler(scheduler);
        new SchedulingConfiguration(List.of(watcher)).configureTasks(registrar);
        registrar.afterPropertiesSet();
        try {
            rig.store.promote("order-anomaly", "production", "v2");
            await(() -> errors.get() >= 1);
            assertThat(rig.meters.get("advisor.model.alias.refused").tags("model", "order-anomaly", "alias", "production",
                    "version", "v2").gauge().value()).isEqualTo(1.0);
            assertThat(version(rig.served)).isEqualTo("v1");
            assertThat(registrar.getScheduledTasks()).singleElement()
                    .satisfies(task -> assertThat(task.nextExecution()).as("the periodic check is still scheduled").isNotNull());

            // v2 is not retried while the alias stays on it; the next move is applied by the same periodic task
            rig.store.promote("order-anomaly", "production", "padded");
            await(() -> rig.meters.find("advisor.model.load.failures").tag("reason", "TOO_LARGE").counter() != null);
            rig.store.rollback("order-anomaly", "production"); // back to v2, which now loads
            await(() -> "v2".equals(version(rig.served)));
        } finally {
            registrar.destroy();
            scheduler.shutdown();
            watcher.destroy();
        }
    }

    @Test
    void aReplicaWhoseStartupLoadWasRefusedIsReadyOnceItsAliasMovesToAGoodVersion() throws Exception {
        WatcherRig rig = rig();
        rig.store.promote("order-anomaly", "production", "padded");
        ModelProperties properties = WatcherRig.properties(rig.uri("production"), Duration.ofSeconds(30), null);
        ModelLifecycle lifecycle = new ModelLifecycle(properties, rig.loading, rig.served);
        AliasWatcher watcher = new AliasWatcher(properties, rig.served, lifecycle, rig.meters);

        lifecycle.start();
        await(() -> !lifecycle.bootstrapping());
        assertThat(rig.served.ready()).isFalse();
        assertThat(rig.meters.get("advisor.model.load.failures").tag("reason", "TOO_LARGE").counter().count()).isEqualTo(1.0);

        assertThat(watcher.checkOnce()).as("tried once more after the start-up retries, refused").isEmpty();
        assertThat(rig.meters.get("advisor.model.alias.refused").tags("model", "order-anomaly", "alias", "production",
                "version", "padded").gauge().value()).isEqualTo(1.0);
        assertThat(watcher.checkOnce()).as("not retried while the alias stays").isEmpty();
        assertThat(rig.meters.get("advisor.model.load.failures").tag("reason", "TOO_LARGE").counter().count()).isEqualTo(2.0);

        rig.store.promote("order-anomaly", "production", "v1");
        assertThat(watcher.checkOnce()).extracting(LoadedModel::version).containsExactly("v1");
        assertThat(rig.served.ready()).isTrue();
        assertThat(rig.meters.find("advisor.model.alias.refused").gauges()).allSatisfy(g -> assertThat(g.value()).isNaN());

        // from now on it follows the alias like any replica
        rig.store.promote("order-anomaly", "production", "v2");
        assertThat(watcher.checkOnce()).extracting(LoadedModel::version).containsExactly("v2");
        assertThat(Map.of("served", version(rig.served))).containsEntry("served", "v2");
    }

    private static String version(ServedModels served) {
        return WatcherRig.version(served);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition within 20 s").isBefore(deadline);
            Thread.sleep(10);
        }
    }
}
