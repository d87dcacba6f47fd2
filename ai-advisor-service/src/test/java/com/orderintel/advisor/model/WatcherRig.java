package com.orderintel.advisor.model;

import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.prompt.PromptRegistry;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ModelManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What the alias watcher tests wire by hand: a file registry with the anomaly fixtures v1 and v2 published, and the
 * loading side (meters, served models, loader) a watcher and lifecycle work on.
 */
final class WatcherRig {

    final FileSystemModelStore store;
    /** The registry's location without its trailing slash, to append {@code /model@alias} to. */
    final String location;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ServedModels served = new ServedModels(event -> { });
    final ModelLoading loading = new ModelLoading(new ModelMetrics(meters, Clock.systemUTC()), Clock.systemUTC(),
            new PromptRegistry(List.of()));

    WatcherRig(Path registryDir) {
        store = FileSystemModelStore.at(registryDir);
        for (String version : List.of("v1", "v2")) {
            Path pkg = TrainedModels.fixture("anomaly-" + version);
            ModelManifest m = TrainedModels.manifest(pkg);
            store.publish(m, pkg.resolve(m.artifact().file()));
        }
        location = store.location().replaceAll("/$", "");
    }

    String uri(String alias) {
        return location + "/order-anomaly@" + alias;
    }

    /** One configured anomaly model (and optionally its shadow), loaded once, retried every 10 ms. */
    static ModelProperties properties(String uri, Duration watch, String shadowUri) {
        return new ModelProperties(null, null, uri, 1, Duration.ofMillis(10), Duration.ofMillis(10), watch, shadowUri, null);
    }

    static String version(ServedModels served) {
        return served.snapshot().get(ModelSlot.ANOMALY).map(LoadedModel::version).orElse(null);
    }
}
