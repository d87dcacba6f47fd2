package com.orderintel.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 store against a real S3-compatible server (S3Proxy on loopback); no mock of the S3 client. */
class S3ModelStoreTest {

    private static S3ProxyFixture s3;
    private static S3Client client;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        s3 = new S3ProxyFixture();
        client = s3.client();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        s3.close();
    }

    private Path artifact(String name, byte[] content) throws Exception {
        Path f = tmp.resolve(name);
        Files.write(f, content);
        return f;
    }

    private S3ModelStore newStore() {
        return new S3ModelStore(client, "s3://" + s3.newBucket() + "/team/models");
    }

    @Test
    void publishListPromoteRollbackRoundTrip() throws Exception {
        S3ModelStore store = newStore();
        byte[] a1 = "first".getBytes();
        byte[] a2 = "second".getBytes();
        ModelUri u1 = store.publish(Manifests.forArtifact("order-anomaly", "c0ffee1", a1), artifact("a1", a1));
        store.publish(Manifests.forArtifact("order-anomaly", "c0ffee2", a2), artifact("a2", a2));
        assertThat(u1.toString()).isEqualTo(store.location() + "/c0ffee1/order-anomaly").startsWith("s3://models-");
        assertThat(store.location()).endsWith("/team/models");
        // the platform's layout: <prefix>/<commit_sha>/<model-name>/manifest.yaml
        String bucket = store.location().substring(5, store.location().indexOf('/', 5));
        assertThat(client.headObject(b -> b.bucket(bucket).key("team/models/c0ffee1/order-anomaly/manifest.yaml")).contentLength()).isPositive();

        store.promote("order-anomaly", "production", "c0ffee1");
        assertThat(store.promote("order-anomaly", "production", "c0ffee2").previousVersion()).isEqualTo("c0ffee1");
        store.promote("order-anomaly", "staging", "c0ffee2");
        ModelUri prod = ModelUri.parse(store.location() + "/order-anomaly@production");
        assertThat(store.load(prod).artifact()).isEqualTo(a2);
        assertThat(store.list()).hasSize(2);
        assertThat(store.list()).filteredOn(v -> v.version().equals("c0ffee2")).singleElement()
                .extracting(ModelStore.ModelVersionInfo::aliases).isEqualTo(List.of("production", "staging"));

        assertThat(store.rollback("order-anomaly", "production", "ops via test").newVersion()).isEqualTo("c0ffee1");
        assertThat(store.load(prod).artifact()).isEqualTo(a1);
        assertThat(store.aliases("order-anomaly").log()).hasSize(4).last()
                .extracting(AliasMove::action, AliasMove::from, AliasMove::to, AliasMove::by)
                .containsExactly("rollback", "c0ffee2", "c0ffee1", "ops via test");
        assertThat(ModelStores.open(store.location())).isInstanceOf(S3ModelStore.class);

        // re-publish identical: no-op; different content under the same version: refused
        store.publish(Manifests.forArtifact("order-anomaly", "c0ffee1", a1), artifact("a1", a1));
        assertThatThrownBy(() -> store.publish(Manifests.forArtifact("order-anomaly", "c0ffee1", a2), artifact("a2", a2)))
                .isInstanceOf(RegistryException.class).hasMessageContaining("already published");
    }

    @Test
    void missingObjectGivesAClearError() {
        S3ModelStore store = newStore();
        assertThatThrownBy(() -> store.load(ModelUri.parse(store.location() + "/deadbeef/order-anomaly")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("no model 'order-anomaly' version 'deadbeef'")
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.NOT_FOUND));
        assertThatThrownBy(() -> store.load(ModelUri.parse(store.location() + "/order-anomaly@production")))
                .hasMessageContaining("alias 'production' of model 'order-anomaly' is not set");
        S3ModelStore noBucket = new S3ModelStore(client, "s3://no-such-bucket-x1/models");
        assertThatThrownBy(() -> noBucket.load(ModelUri.parse("s3://no-such-bucket-x1/models/v1/m")))
                .isInstanceOf(RegistryException.class).hasMessageContaining("bucket 'no-such-bucket-x1' does not exist");
    }

    @Test
    void wrongChecksumIsRefused() throws Exception {
        S3ModelStore store = newStore();
        byte[] a = "genuine".getBytes();
        ModelUri uri = store.publish(Manifests.forArtifact("m", "v1", a), artifact("a", a));
        String bucket = store.location().substring(5, store.location().indexOf('/', 5));
        client.putObject(b -> b.bucket(bucket).key("team/models/v1/m/model.bin"), RequestBody.fromBytes("forgery".getBytes()));
        assertThatThrownBy(() -> store.load(uri))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("corrupted or tampered")
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.CHECKSUM_MISMATCH));
    }

    @Test
    void deniedAccessGivesAClearError() {
        S3ModelStore good = newStore();
        try (S3Client wrong = s3.client(S3ProxyFixture.ACCESS_KEY, "wrong-secret")) {
            S3ModelStore store = new S3ModelStore(wrong, good.location());
            assertThatThrownBy(() -> store.load(ModelUri.parse(good.location() + "/v1/m")))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("access denied")
                    .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.ACCESS_DENIED));
        }
    }

    @Test
    void concurrentPublishesOfDifferentVersionsAllLandIntact() throws Exception {
        StoreContract.concurrentPublishesLandIntact(newStore(), tmp, "order-anomaly", 4, 4, 300_000, Duration.ofSeconds(60));
    }

    @Test
    void concurrentPromotionsKeepEveryChangeInTheHistory() throws Exception {
        S3ModelStore store = newStore();
        for (int i = 0; i < 4; i++) {
            byte[] content = ("v" + i).getBytes();
            store.publish(Manifests.forArtifact("m", "v" + i, content), artifact("p" + i, content));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String v = "v" + i;
            futures.add(pool.submit(() -> store.promote("m", "production", v)));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // Four promotions from unset: three rollbacks must be possible, the fourth has nothing left (no lost update).
        for (int i = 0; i < 3; i++) {
            store.rollback("m", "production");
        }
        assertThatThrownBy(() -> store.rollback("m", "production")).hasMessageContaining("no earlier version");
    }

    @Test
    void racingPublishesOfOneVersionWithDifferentContentLeaveTheWinnerIntact() throws Exception {
        S3ModelStore store = newStore();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] content = new byte[200_000];
            java.util.Arrays.fill(content, (byte) (i + 1));
            Path f = artifact("r" + i, content);
            ModelManifest m = Manifests.forArtifact("m", "v1", content);
            futures.add(pool.submit(() -> store.publish(m, f)));
        }
        int refused = 0;
        for (Future<?> f : futures) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(RegistryException.class);
                assertThat(((RegistryException) e.getCause()).reason()).isEqualTo(RegistryException.Reason.CONFLICT);
                refused++;
            }
        }
        pool.shutdown();
        assertThat(refused).isEqualTo(3);
        // whichever publisher won, its manifest and its artifact belong together (load verifies the sha256)
        ModelStore.LoadedArtifact loaded = store.load(ModelUri.parse(store.location() + "/v1/m"));
        assertThat(loaded.artifact()).hasSize(200_000).containsOnly(loaded.artifact()[0]);
    }

    @Test
    void anInterruptedPublishOfTheSameContentCanBeRetried() throws Exception {
        S3ModelStore store = newStore();
        byte[] a = "retry-me".getBytes();
        String bucket = store.location().substring(5, store.location().indexOf('/', 5));
        // the artifact of an interrupted publish (no manifest yet), uploaded without our metadata
        client.putObject(b -> b.bucket(bucket).key("team/models/v1/m/model.bin"), RequestBody.fromBytes(a));
        ModelUri uri = store.publish(Manifests.forArtifact("m", "v1", a), artifact("a", a));
        assertThat(store.load(uri).artifact()).isEqualTo(a);
        // a left-over artifact with other content is not overwritten silently
        client.putObject(b -> b.bucket(bucket).key("team/models/v2/m/model.bin"), RequestBody.fromBytes("other".getBytes()));
        assertThatThrownBy(() -> store.publish(Manifests.forArtifact("m", "v2", a), artifact("a2", a)))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.CONFLICT))
                .hasMessageContaining("s3://" + bucket + "/team/models/v2/m/model.bin");
    }
}
