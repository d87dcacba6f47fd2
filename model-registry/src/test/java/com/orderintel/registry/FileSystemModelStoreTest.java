package com.orderintel.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemModelStoreTest {

    @TempDir
    Path tmp;

    private Path artifact(String name, byte[] content) throws Exception {
        Path f = tmp.resolve(name);
        Files.write(f, content);
        return f;
    }

    @Test
    void publishLoadAliasesAndRollback() throws Exception {
        FileSystemModelStore store = FileSystemModelStore.at(tmp.resolve("reg"));
        byte[] a1 = {1, 2, 3};
        byte[] a2 = {4, 5, 6, 7};
        ModelUri u1 = store.publish(Manifests.forArtifact("order-anomaly", "v1", a1), artifact("a1", a1));
        store.publish(Manifests.forArtifact("order-anomaly", "v2", a2), artifact("a2", a2));
        assertThat(u1.toString()).endsWith("/reg/v1/order-anomaly");
        assertThat(store.load(u1).artifact()).isEqualTo(a1);

        assertThat(store.promote("order-anomaly", "production", "v1").previousVersion()).isNull();
        ModelStore.AliasChange c = store.promote("order-anomaly", "production", "v2");
        assertThat(c.previousVersion()).isEqualTo("v1");
        ModelUri alias = ModelUri.parse(store.location() + "/order-anomaly@production");
        assertThat(store.load(alias).artifact()).isEqualTo(a2);
        assertThat(store.list()).extracting(ModelStore.ModelVersionInfo::version).containsExactlyInAnyOrder("v1", "v2");
        assertThat(store.list()).filteredOn(v -> v.version().equals("v2")).singleElement()
                .extracting(ModelStore.ModelVersionInfo::aliases).isEqualTo(List.of("production"));

        assertThat(store.rollback("order-anomaly", "production").newVersion()).isEqualTo("v1");
        assertThat(store.load(alias).manifest().version()).isEqualTo("v1");
        assertThat(store.aliases("order-anomaly").log()).extracting(AliasMove::action, AliasMove::from, AliasMove::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("promote", null, "v1"),
                        org.assertj.core.groups.Tuple.tuple("promote", "v1", "v2"),
                        org.assertj.core.groups.Tuple.tuple("rollback", "v2", "v1"));
        assertThatThrownBy(() -> store.rollback("order-anomaly", "production"))
                .hasMessageContaining("no earlier version to roll back to");
        assertThatThrownBy(() -> store.promote("order-anomaly", "production", "v9"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("version 'v9'");
        assertThatThrownBy(() -> store.load(ModelUri.parse(store.location() + "/order-anomaly@staging")))
                .hasMessageContaining("alias 'staging' of model 'order-anomaly' is not set");
    }

    @Test
    void republishIsIdempotentButConflictingContentIsRefused() throws Exception {
        FileSystemModelStore store = FileSystemModelStore.at(tmp.resolve("reg"));
        byte[] a = {1, 2, 3};
        store.publish(Manifests.forArtifact("m", "v1", a), artifact("a", a));
        store.publish(Manifests.forArtifact("m", "v1", a), artifact("a", a));
        byte[] b = {9, 9};
        assertThatThrownBy(() -> store.publish(Manifests.forArtifact("m", "v1", b), artifact("b", b)))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.CONFLICT))
                .hasMessageContaining("already published with a different artifact");
        assertThat(store.load(ModelUri.parse(store.location() + "/v1/m")).artifact()).isEqualTo(a);
    }

    @Test
    void anArtifactLeftByAnInterruptedPublishIsReplacedUnderTheLock() throws Exception {
        FileSystemModelStore store = FileSystemModelStore.at(tmp.resolve("reg"));
        Path orphan = tmp.resolve("reg/v1/m/model.bin");
        Files.createDirectories(orphan.getParent());
        Files.write(orphan, new byte[] {9, 9, 9, 9}); // no manifest names it: a publish died before writing one
        byte[] a = {1, 2, 3};
        ModelUri uri = store.publish(Manifests.forArtifact("m", "v1", a), artifact("a", a));
        assertThat(store.load(uri).artifact()).isEqualTo(a);
    }

    @Test
    void tamperedOrMissingArtifactsAreRefused() throws Exception {
        FileSystemModelStore store = FileSystemModelStore.at(tmp.resolve("reg"));
        byte[] a = {1, 2, 3};
        ModelUri uri = store.publish(Manifests.forArtifact("m", "v1", a), artifact("a", a));
        Path published = tmp.resolve("reg/v1/m/model.bin");
        Files.write(published, new byte[] {1, 2, 4});
        assertThatThrownBy(() -> store.load(uri)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("corrupted or tampered").hasMessageContaining("refusing to load");
        Files.delete(published);
        assertThatThrownBy(() -> store.load(uri)).hasMessageContaining("is missing");
        assertThatThrownBy(() -> store.load(ModelUri.parse(store.location() + "/v7/m")))
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.NOT_FOUND));
        // An artifact file that does not match its own manifest is refused at publish time.
        assertThatThrownBy(() -> store.publish(Manifests.forArtifact("m", "v2", new byte[] {5}), artifact("x", new byte[] {6})))
                .hasMessageContaining("has sha256");
    }

    @Test
    void concurrentPublishesOfDifferentVersionsAllLandIntact() throws Exception {
        StoreContract.concurrentPublishesLandIntact(FileSystemModelStore.at(tmp.resolve("reg")), tmp, "m", 16, 8,
                100_000, Duration.ofSeconds(30));
    }
    @Test
    void concurrentPromotionsLoseNoUpdate() throws Exception {
        FileSystemModelStore store = FileSystemModelStore.at(tmp.resolve("reg"));
        List<String> versions = List.of("v0", "v1", "v2", "v3", "v4", "v5");
        assertThat(StoreContract.racePromotions(store, tmp, versions, Duration.ofSeconds(30)))
                .allSatisfy(outcome -> assertThat(outcome).isInstanceOf(ModelStore.AliasChange.class));
        // The rename under a file lock is atomic: every promotion is in the history, so it walks back through all six.
        assertThat(AliasStateCheck.assertIntact(store, "m", "production", versions)).hasSize(versions.size());
    }

    @Test
    void ofRacingPublishesOfOneVersionExactlyOneWins() throws Exception {
        FileSystemModelStore store = FileSystemModelStore.at(tmp.resolve("reg"));
        assertThat(StoreContract.racePublishesOfOneVersion(store, tmp, Duration.ofSeconds(30))).isEqualTo(3);
        byte[] loaded = store.load(ModelUri.parse(store.location() + "/v1/m")).artifact();
        assertThat(loaded).hasSize(200_000).containsOnly(loaded[0]);
    }

    @Test
    void unsafeNamesAreRefusedAndNothingIsWrittenOutsideTheRoot() throws Exception {
        Path root = tmp.resolve("deep/reg");
        StoreContract.unsafeNamesAreRefused(FileSystemModelStore.at(root), tmp);
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(Files::isRegularFile).filter(p -> !p.startsWith(root)).map(p -> p.getFileName().toString()))
                    .containsExactly("names-artifact");
        }
    }

    @Test
    void sizesAreCheckedBeforeReading() throws Exception {
        Path root = tmp.resolve("reg");
        StoreContract.sizesAreCheckedBeforeReading(limits -> FileSystemModelStore.at(root, limits), (key, bytes) -> {
            Files.createDirectories(root.resolve(key).getParent());
            Files.write(root.resolve(key), bytes);
        }, tmp);
    }

    @Test
    void hugeFilesAreRefusedWithoutBeingRead() throws Exception {
        Path root = tmp.resolve("reg");
        FileSystemModelStore store = FileSystemModelStore.at(root);
        byte[] a = {1, 2, 3};
        ModelUri uri = store.publish(Manifests.forArtifact("m", "v1", a), artifact("a", a));
        // Sparse 3 GiB files: reading one would need a 3 GiB array (impossible), so a refusal proves no read.
        sparse(root.resolve("v1/m/model.bin"), 3L << 30);
        assertThatThrownBy(() -> store.load(uri)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("it is 3221225472 bytes, the manifest expects 3");
        sparse(root.resolve("v1/m/manifest.yaml"), 3L << 30);
        assertThatThrownBy(() -> store.manifest(uri)).isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.TOO_LARGE));
        assertThatThrownBy(store::list).isInstanceOf(RegistryException.class).hasMessageContaining("above the limit");
    }

    private static void sparse(Path file, long size) throws Exception {
        Files.deleteIfExists(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }
}
