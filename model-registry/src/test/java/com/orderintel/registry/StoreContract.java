package com.orderintel.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    /**
     * Publishes version v1 of model m from four threads at once, each with other content (200,000 bytes of 1, 2, 3
     * or 4); asserts every refusal is a CONFLICT and returns how many were refused.
     */
    static int racePublishesOfOneVersion(ModelStore store, Path scratch, Duration timeout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int refused = 0;
        try {
            List<Future<ModelUri>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] content = new byte[200_000];
                Arrays.fill(content, (byte) (i + 1));
                Path f = Files.write(scratch.resolve("r" + i), content);
                ModelManifest m = Manifests.forArtifact("m", "v1", content);
                futures.add(pool.submit(() -> store.publish(m, f)));
            }
            for (Future<ModelUri> f : futures) {
                try {
                    f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(RegistryException.class);
                    assertThat(((RegistryException) e.getCause()).reason()).isEqualTo(RegistryException.Reason.CONFLICT);
                    refused++;
                }
            }
        } finally {
            pool.shutdown();
        }
        return refused;
    }

    /**
     * Publishes {@code versions} of model m, then promotes its production alias to each from its own thread at once;
     * returns each promotion's outcome (its change, or the exception it failed with), in the order of {@code versions}.
     */
    static List<Object> racePromotions(ModelStore store, Path scratch, List<String> versions, Duration timeout) throws Exception {
        for (String v : versions) {
            byte[] content = v.getBytes();
            store.publish(Manifests.forArtifact("m", v, content), Files.write(scratch.resolve("p" + v), content));
        }
        ExecutorService pool = Executors.newFixedThreadPool(versions.size());
        try {
            List<Future<ModelStore.AliasChange>> futures = new ArrayList<>();
            for (String v : versions) {
                futures.add(pool.submit(() -> store.promote("m", "production", v)));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<ModelStore.AliasChange> f : futures) {
                try {
                    outcomes.add(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
            return outcomes;
        } finally {
            pool.shutdown();
        }
    }

    /** Names that must never become a path segment or an object key. */
    static final List<String> UNSAFE_NAMES = List.of("../evil", "..", ".", "a/b", "/abs", "a\\b", "nul\u0000byte", "line\nbreak",
            "tab\tname", "n".repeat(129), "x".repeat(100_000), "", " ", "-leading-dash", "sp ace");

    /**
     * Every entry point refuses an unsafe model name, version or alias with INVALID_URI and a message that
     * names the part and quotes the value safely (no raw control characters, long values cut).
     */
    static void unsafeNamesAreRefused(ModelStore store, Path scratch) throws Exception {
        byte[] content = "ok".getBytes();
        Path artifact = Files.write(scratch.resolve("names-artifact"), content);
        store.publish(Manifests.forArtifact("m", "v1", content), artifact);
        int refusals = 0;
        for (String bad : UNSAFE_NAMES) {
            List<Runnable> calls = List.of(
                    () -> store.promote(bad, "production", "v1"),
                    () -> store.promote("m", bad, "v1"),
                    () -> store.promote("m", "production", bad),
                    () -> store.rollback(bad, "production"),
                    () -> store.rollback("m", bad),
                    () -> store.resolveAlias(bad, "production"),
                    () -> store.resolveAlias("m", bad),
                    () -> store.load(new ModelUri(store.location(), bad, "v1", null)),
                    () -> store.load(new ModelUri(store.location(), "m", bad, null)),
                    () -> store.manifest(new ModelUri(store.location(), "m", null, bad)));
            for (Runnable call : calls) {
                assertThatThrownBy(call::run)
                        .isInstanceOf(RegistryException.class)
                        .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.INVALID_URI))
                        .hasMessageContaining("is not allowed")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000", "\n", "\t").hasSizeLessThan(400));
                refusals++;
            }
            assertThatThrownBy(() -> store.publish(Manifests.forArtifact(bad, "v2", content), artifact))
                    .isInstanceOf(RegistryException.class)
                    .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.INVALID_MANIFEST));
            assertThatThrownBy(() -> store.publish(Manifests.forArtifact("m", bad, content), artifact))
                    .isInstanceOf(RegistryException.class)
                    .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.INVALID_MANIFEST));
        }
        assertThat(refusals).isEqualTo(UNSAFE_NAMES.size() * 10);
        assertThat(store.list()).extracting(ModelStore.ModelVersionInfo::name).containsExactly("m");
        assertThat(store.resolveAlias("m", "production")).isEmpty();
    }

    /** Writes raw bytes under a key relative to the store's root, bypassing the store (a tamperer). */
    interface RawWriter {
        void write(String key, byte[] bytes) throws Exception;
    }

    /**
     * Sizes are checked before bytes are read: the manifest's artifact size against the configured limit and
     * against the object's real size, manifests and alias files against their limit.
     */
    static void sizesAreCheckedBeforeReading(Function<RegistryLimits, ModelStore> storeWith, RawWriter raw, Path scratch)
            throws Exception {
        ModelStore roomy = storeWith.apply(RegistryLimits.DEFAULT);
        ModelStore tight = storeWith.apply(new RegistryLimits(1_000, 4_096));
        byte[] content = new byte[3_000];
        Arrays.fill(content, (byte) 7);
        Path artifact = Files.write(scratch.resolve("sizes-artifact"), content);
        ModelUri uri = roomy.publish(Manifests.forArtifact("m", "v1", content), artifact);
        roomy.promote("m", "production", "v1");
        assertThat(roomy.load(uri).artifact()).isEqualTo(content);

        assertThatThrownBy(() -> tight.load(uri))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.TOO_LARGE))
                .hasMessageContaining("3000 bytes, above the limit of 1000").hasMessageContaining("MODEL_REGISTRY_MAX_ARTIFACT_BYTES");
        assertThatThrownBy(() -> tight.publish(Manifests.forArtifact("m", "v2", content), artifact))
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.TOO_LARGE));

        // A bigger object than the manifest declares is refused by its size, before its bytes are read.
        byte[] swapped = new byte[5_000];
        raw.write("v1/m/model.bin", swapped);
        assertThatThrownBy(() -> roomy.load(uri))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.CHECKSUM_MISMATCH))
                .hasMessageContaining("it is 5000 bytes, the manifest expects 3000");
        raw.write("v1/m/model.bin", Arrays.copyOf(content, 2_999));
        assertThatThrownBy(() -> roomy.load(uri)).hasMessageContaining("it is 2999 bytes, the manifest expects 3000");

        // Manifest and alias files above the manifest limit (valid YAML padded with a comment).
        String manifest = ManifestCodec.toYamlString(Manifests.forArtifact("m", "v1", content));
        raw.write("v1/m/manifest.yaml", (manifest + "# " + "x".repeat(5_000) + "\n").getBytes());
        assertThatThrownBy(() -> tight.manifest(uri))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.TOO_LARGE))
                .hasMessageContaining("above the limit of 4096").hasMessageContaining("MODEL_REGISTRY_MAX_MANIFEST_BYTES");
        assertThat(roomy.manifest(uri).version()).isEqualTo("v1");
        raw.write("aliases/m.yaml", ("current:\n  production: v1\n# " + "x".repeat(5_000) + "\n").getBytes());
        assertThatThrownBy(() -> tight.resolveAlias("m", "production"))
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.TOO_LARGE));
        assertThat(roomy.resolveAlias("m", "production")).contains("v1");
    }
}
