package com.orderintel.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
}
