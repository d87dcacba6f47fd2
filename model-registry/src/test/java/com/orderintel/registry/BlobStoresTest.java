package com.orderintel.registry;

import com.orderintel.testkit.S3ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operations the registry and the dataset snapshots stand on, the same on both backends: the filesystem and S3
 * (S3Proxy on loopback, a real S3 server; no mock of the client).
 */
class BlobStoresTest {

    private static S3ProxyFixture s3;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        s3 = new S3ProxyFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private static final LongFunction<RegistryException> ANY_SIZE = size -> null;

    private static LongFunction<RegistryException> atMost(long max) {
        return size -> size <= max ? null : new RegistryException(RegistryException.Reason.TOO_LARGE, size + " > " + max);
    }

    @Test
    void fileBackend() throws Exception {
        contract(new FileBlobStore(tmp.resolve("root")));
        try (var all = Files.walk(tmp.resolve("root"))) {
            assertThat(all.map(p -> p.getFileName().toString())).as("temporary files left").noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void s3Backend() throws Exception {
        try (S3BlobStore store = S3BlobStore.at(s3.client(), "s3://" + s3.newBucket() + "/pre/fix")) {
            contract(store);
        }
    }

    private void contract(BlobStore store) throws Exception {
        Path big = Files.write(tmp.resolve("big"), new byte[10_000]);
        store.putIfAbsent("a/b/big.bin", big, Checksums.sha256(big));
        store.putIfAbsent("a/small.yaml", "one".getBytes());

        // create-if-absent never replaces
        assertThatThrownBy(() -> store.putIfAbsent("a/small.yaml", "two".getBytes()))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.CONFLICT))
                .hasMessageContaining(store.describe("a/small.yaml"));
        assertThat(store.get("a/small.yaml", 100, ANY_SIZE).orElseThrow().bytes()).isEqualTo("one".getBytes());

        // replace-if-match: the version read, else CONFLICT; null means "must not exist"
        BlobStore.Blob read = store.get("a/small.yaml", 100, ANY_SIZE).orElseThrow();
        store.putIfMatch("a/small.yaml", "three".getBytes(), read.version());
        assertThatThrownBy(() -> store.putIfMatch("a/small.yaml", "four".getBytes(), read.version()))
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.CONFLICT));
        assertThatThrownBy(() -> store.putIfMatch("a/small.yaml", "five".getBytes(), null))
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.CONFLICT));
        store.putIfMatch("a/new.yaml", "six".getBytes(), null);
        assertThat(store.get("a/small.yaml", 100, ANY_SIZE).orElseThrow().bytes()).isEqualTo("three".getBytes());

        // bounded reads: refused by the declared size, before the body is read; a refused download keeps no file
        assertThatThrownBy(() -> store.get("a/b/big.bin", 1_000, atMost(1_000)))
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.TOO_LARGE))
                .hasMessage("10000 > 1000");
        Path dest = tmp.resolve("scratch/big.bin");
        assertThatThrownBy(() -> store.fetch("a/b/big.bin", dest, 1_000, atMost(1_000))).hasMessage("10000 > 1000");
        assertThat(dest).doesNotExist();
        assertThat(Files.size(store.fetch("a/b/big.bin", dest, 10_000, atMost(10_000)).orElseThrow())).isEqualTo(10_000);

        assertThat(store.get("a/none", 100, ANY_SIZE)).isEmpty();
        assertThat(store.fetch("a/none", tmp.resolve("scratch/none"), 100, ANY_SIZE)).isEmpty();
        assertThat(store.exists("a/b/big.bin")).isTrue();
        assertThat(store.exists("a/none")).isFalse();
        assertThat(store.sha256("a/b/big.bin")).isEqualTo(Checksums.sha256(big));
        assertThat(store.list("")).filteredOn(k -> !k.contains("/.")).containsExactlyInAnyOrder("a/b/big.bin", "a/small.yaml", "a/new.yaml");
        store.delete("a/new.yaml");
        store.delete("a/new.yaml"); // absent is fine
        assertThat(store.list("a/")).filteredOn(k -> !k.contains("/.")).containsExactlyInAnyOrder("a/b/big.bin", "a/small.yaml");
    }
}
