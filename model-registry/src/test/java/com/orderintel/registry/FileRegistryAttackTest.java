package com.orderintel.registry;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The file registry reads only regular files inside its root, and no error repeats a file's content: a manifest
 * symlinked to /etc/passwd came back as a 422 whose detail held the whole file, and a FIFO manifest hung the reading
 * thread (and the service's reload lock) forever.
 */
@Tag("attack")
class FileRegistryAttackTest {

    static final byte[] ARTIFACT = {1, 2, 3, 4};

    @TempDir
    Path tmp;

    private FileSystemModelStore storeWithV1() throws Exception {
        FileSystemModelStore store = FileSystemModelStore.at(tmp.resolve("reg"));
        Path a = tmp.resolve("a");
        Files.write(a, ARTIFACT);
        store.publish(Manifests.forArtifact("m", "v1", ARTIFACT), a);
        return store;
    }

    private static ModelUri uri(FileSystemModelStore store, String version) {
        return ModelUri.parse(store.location() + "/" + version + "/m");
    }

    @Test
    void aManifestLinkedOutOfTheRootIsRefusedWithoutReadingIt() throws Exception {
        FileSystemModelStore store = storeWithV1();
        Path secret = tmp.resolve("outside-secret.txt");
        Files.writeString(secret, "root:x:0:0:root:/root:/bin/bash\napi_key: sk-live-0123456789\n");
        Path dir = Files.createDirectories(tmp.resolve("reg/v2/m"));
        Files.createSymbolicLink(dir.resolve(ManifestCodec.FILE_NAME), secret);
        assertThatThrownBy(() -> store.manifest(uri(store, "v2"))).isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.ACCESS_DENIED))
                .hasMessageContaining("leads out of the registry root")
                .hasMessageNotContaining("root:x").hasMessageNotContaining("sk-live");
        if (Files.isReadable(Path.of("/etc/passwd"))) { // the reproduction itself
            Files.delete(dir.resolve(ManifestCodec.FILE_NAME));
            Files.createSymbolicLink(dir.resolve(ManifestCodec.FILE_NAME), Path.of("/etc/passwd"));
            assertThatThrownBy(() -> store.load(uri(store, "v2"))).hasMessageContaining("leads out of the registry root")
                    .hasMessageNotContaining("root:");
        }
    }

    @Test
    void anArtifactOrAliasFileLinkedOutOfTheRootIsRefused() throws Exception {
        FileSystemModelStore store = storeWithV1();
        Path outside = tmp.resolve("outside.bin");
        Files.write(outside, ARTIFACT); // same bytes, so only the link itself is wrong
        Path artifact = tmp.resolve("reg/v1/m").resolve(Manifests.forArtifact("m", "v1", ARTIFACT).artifact().file());
        Files.delete(artifact);
        Files.createSymbolicLink(artifact, outside);
        assertThatThrownBy(() -> store.load(uri(store, "v1"))).hasMessageContaining("leads out of the registry root");

        Path aliasFile = Files.createDirectories(tmp.resolve("reg/aliases")).resolve("m.yaml");
        Path outsideAliases = tmp.resolve("aliases-elsewhere.yaml");
        Files.writeString(outsideAliases, "current:\n  production: v1\n");
        Files.createSymbolicLink(aliasFile, outsideAliases);
        assertThatThrownBy(() -> store.resolveAlias("m", "production")).hasMessageContaining("leads out of the registry root");
    }

    @Test
    void linksThatStayInsideTheRootAreRead() throws Exception {
        FileSystemModelStore store = storeWithV1();
        Files.createSymbolicLink(tmp.resolve("reg/v1-again"), tmp.resolve("reg/v1"));
        ModelUri viaLink = new ModelUri(store.location(), "m", "v1-again", null);
        assertThatThrownBy(() -> store.load(viaLink)).as("read, then refused as describing v1").hasMessageContaining("describes m/v1");
        // and a registry root that is itself a link (a mount layout) works
        Path linkedRoot = Files.createSymbolicLink(tmp.resolve("reg-link"), tmp.resolve("reg"));
        FileSystemModelStore viaRootLink = FileSystemModelStore.at(linkedRoot);
        assertThat(viaRootLink.load(uri(viaRootLink, "v1")).artifact()).isEqualTo(ARTIFACT);
    }

    @Test
    void aFifoManifestOrArtifactIsRefusedAtOnce() throws Exception {
        FileSystemModelStore store = storeWithV1();
        Path dir = Files.createDirectories(tmp.resolve("reg/v3/m"));
        mkfifo(dir.resolve(ManifestCodec.FILE_NAME));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> store.manifest(uri(store, "v3")))
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.ACCESS_DENIED))
                .hasMessageContaining("is not a regular file"));

        Path artifact = tmp.resolve("reg/v1/m").resolve(Manifests.forArtifact("m", "v1", ARTIFACT).artifact().file());
        Files.delete(artifact);
        mkfifo(artifact);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> store.load(uri(store, "v1")))
                .hasMessageContaining("is not a regular file"));
        Files.delete(artifact);
        Files.createDirectory(artifact);
        assertThatThrownBy(() -> store.load(uri(store, "v1"))).hasMessageContaining("is not a regular file");
    }

    @Test
    void aReadThatBlocksIsCutOffByTheTimeout() throws Exception {
        // a file swapped for a FIFO between the check and the open: the open itself blocks
        Path fifo = tmp.resolve("fifo");
        mkfifo(fifo);
        long start = System.nanoTime();
        assertThatThrownBy(() -> RegistryFiles.within(Duration.ofMillis(300), "manifest x", () -> Files.readAllBytes(fifo)))
                .isInstanceOf(RegistryException.class).hasMessageContaining("took longer than");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        try (OutputStream unblock = Files.newOutputStream(fifo)) { // let the abandoned reader finish
            unblock.write('x');
        }
    }

    @Test
    void parseErrorsNameLineAndColumnButRepeatNoContent() throws Exception {
        FileSystemModelStore store = storeWithV1();
        Path manifest = tmp.resolve("reg/v1/m/manifest.yaml");
        // a whole file read as one YAML string: Jackson's message quoted all of it
        Files.writeString(manifest, "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:sk-live-0123456789:/usr/sbin\n");
        assertThatThrownBy(() -> store.manifest(uri(store, "v1")))
                .satisfies(e -> assertThat(((RegistryException) e).reason()).isEqualTo(RegistryException.Reason.INVALID_MANIFEST))
                .hasMessageContaining("not a mapping of manifest fields at line 1")
                .hasMessageNotContaining("root:x").hasMessageNotContaining("sk-live");
        Files.writeString(manifest, "schemaVersion: 1\nname: 'unclosed sk-live-0123456789\n");
        assertThatThrownBy(() -> store.manifest(uri(store, "v1"))).hasMessageContaining("malformed YAML at line")
                .hasMessageNotContaining("sk-live");
        Files.writeString(manifest, "schemaVersion: 1\nartifact:\n  size: sk-live-0123456789\n");
        assertThatThrownBy(() -> store.manifest(uri(store, "v1")))
                .hasMessageContaining("field 'artifact.size' has a value of the wrong type at line 3")
                .hasMessageNotContaining("sk-live");
        Path aliases = Files.createDirectories(tmp.resolve("reg/aliases")).resolve("m.yaml");
        Files.writeString(aliases, "current: sk-live-0123456789 secret text\n");
        assertThatThrownBy(() -> store.resolveAlias("m", "production")).hasMessageContaining("at line 1")
                .hasMessageNotContaining("sk-live");
    }

    static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).as(new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }
}
