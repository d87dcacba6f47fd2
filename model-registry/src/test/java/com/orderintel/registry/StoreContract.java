package com.orderintel.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Behaviour every {@link ModelStore} must show, run by the filesystem and the S3 store tests alike. */
final class StoreContract {

    private StoreContract() {
    }

    /**
     * Publishes versions v0..v(n-1) of {@code model} from {@code threads} threads at once (version i: an artifact
     * of {@code baseSize + i} bytes, all {@code i + 1}) and checks every version lands, each with its own bytes.
     */
    static void concurrentPublishesLandIntact(ModelStore store, Path scratch, String model, int versions, int threads,
                                              int baseSize, Duration timeout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ModelUri>> futures = new ArrayList<>();
            for (int i = 0; i < versions; i++) {
                byte[] content = new byte[baseSize + i];
                Arrays.fill(content, (byte) (i + 1));
                Path f = Files.write(scratch.resolve(model + "-c" + i), content);
                ModelManifest m = Manifests.forArtifact(model, "v" + i, content);
                futures.add(pool.submit(() -> store.publish(m, f)));
            }
            for (Future<ModelUri> f : futures) {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.list()).extracting(ModelStore.ModelVersionInfo::version)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, versions).mapToObj(i -> "v" + i).toList());
        for (int i = 0; i < versions; i++) {
            assertThat(store.load(ModelUri.parse(store.location() + "/v" + i + "/" + model)).artifact())
                    .hasSize(baseSize + i).containsOnly((byte) (i + 1));
        }
    }
}
