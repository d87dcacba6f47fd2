package com.orderintel.e2e;

import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ManifestCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 6: the filesystem registry fills up during a publish. The registry lives on a 2 MB tmpfs (mounted for the
 * test; we run as root), already holding version v2 as {@code production}; a filler file leaves less room than v1's
 * 460 KB artifact. {@code training-runner publish --promote production} of v1 must fail with one clear line, leave
 * no half-published version visible (no manifest, nothing listed, no temporary file left taking the space) and the
 * alias unchanged. The same again with room for the artifact but not for the manifest: nothing may stay behind
 * either (no artifact without its manifest). Once space is freed the same command publishes v1.
 */
@Tag("faults")
class RegistryDiskFullFaultTest {

    @TempDir
    Path work;

    @Test
    void aPublishThatRunsOutOfSpaceLeavesNothingHalfPublished() throws Exception {
        // under FAULTS_DIR, so faults.sh unmounts it even if this JVM dies first
        Path mount = FaultInfra.DIR.resolve("small-fs-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        FaultInfra.inject("fs-mount", mount.toString(), "2m");
        try {
            Path registry = mount.resolve("registry");
            String uri = "file://" + registry;
            Processes.Run first = Processes.runner(Map.of(), work, "publish", "--model-dir",
                    FixtureModels.anomalyPackage("v2").toString(), "--registry", uri, "--promote", "production");
            assertThat(first.exitCode()).as(first.output()).isZero();

            long artifact = Files.size(FixtureModels.anomalyPackage("v1").resolve("model.iforest"));
            long leave = artifact / 2;
            Path filler = mount.resolve("filler");
            fill(filler, Files.getFileStore(mount).getUsableSpace() - leave);
            long freeBefore = Files.getFileStore(mount).getUsableSpace();

            String[] publishV1 = {"publish", "--model-dir", FixtureModels.anomalyPackage("v1").toString(),
                    "--registry", uri, "--promote", "production"};
            Processes.Run full = Processes.runner(Map.of(), work, publishV1);
            FileSystemModelStore store = FileSystemModelStore.at(registry);
            boolean manifestVisible = Files.exists(registry.resolve("v1/order-anomaly").resolve(ManifestCodec.FILE_NAME));
            List<String> listed = store.list().stream().map(v -> v.version()).toList();
            String alias = store.resolveAlias("order-anomaly", "production").orElse("(none)");
            List<Path> leftovers = temporaryFiles(registry);
            long freeAfter = Files.getFileStore(mount).getUsableSpace();
            String error = full.output().lines().filter(l -> l.startsWith("error")).findFirst().orElse("(no error line)");

            // the disk fills one step later: the artifact fits exactly (whole 4 KB pages), the manifest does not
            Files.delete(filler);
            long pages = (artifact + 4095) / 4096 * 4096;
            fill(filler, Files.getFileStore(mount).getUsableSpace() - pages);
            Processes.Run atManifest = Processes.runner(Map.of(), work, publishV1);
            boolean manifestVisible2 = Files.exists(registry.resolve("v1/order-anomaly").resolve(ManifestCodec.FILE_NAME));
            String alias2 = store.resolveAlias("order-anomaly", "production").orElse("(none)");
            List<Path> debris = files(registry.resolve("v1"));

            Files.delete(filler);
            Processes.Run again = Processes.runner(Map.of(), work, publishV1);
            String aliasAfter = store.resolveAlias("order-anomaly", "production").orElse("(none)");

            Map<String, Object> f = FaultInfra.figures();
            f.put("fs", "tmpfs-2m");
            f.put("free_before_kb", freeBefore / 1024);
            f.put("artifact_kb", artifact / 1024);
            f.put("publish_exit", full.exitCode());
            f.put("half_published_visible", manifestVisible ? 1 : 0);
            f.put("versions_listed", String.join("|", listed));
            f.put("production", alias);
            f.put("temp_files_left", leftovers.size());
            f.put("space_given_back_kb", (freeAfter - freeBefore) / 1024);
            f.put("manifest_step_publish_exit", atManifest.exitCode());
            f.put("manifest_step_visible", manifestVisible2 ? 1 : 0);
            f.put("manifest_step_files_left", debris.size());
            f.put("republish_exit", again.exitCode());
            f.put("production_after", aliasAfter);
            FaultInfra.report("registry-disk-full", f);
            System.out.println("publish error: " + error);

            assertThat(full.exitCode()).as(full.output()).isNotZero();
            assertThat(error).as("one clear line").contains("No space left on device").doesNotContain("Exception");
            assertThat(full.output()).doesNotContain("\tat ");
            assertThat(manifestVisible).as("a manifest for the half-written version").isFalse();
            assertThat(listed).as("versions a reader can see").containsExactly("v2");
            assertThat(alias).as("production after the failed publish").isEqualTo("v2");
            assertThat(leftovers).as("temporary files left behind, taking the space").isEmpty();
            assertThat(atManifest.exitCode()).as(atManifest.output()).isNotZero();
            assertThat(atManifest.output()).contains("No space left on device");
            assertThat(manifestVisible2).as("a manifest when the disk filled while writing it").isFalse();
            assertThat(alias2).isEqualTo("v2");
            assertThat(debris).as("files left under v1 (an artifact no manifest names, a temporary file)").isEmpty();
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(aliasAfter).isEqualTo("v1");
            assertThat(store.list().stream().map(v -> v.version()).sorted().toList()).containsExactly("v1", "v2");
        } finally {
            FaultInfra.inject("fs-umount", mount.toString());
        }
    }

    private static void fill(Path file, long bytes) throws Exception {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    private static List<Path> temporaryFiles(Path registry) throws Exception {
        try (Stream<Path> all = Files.walk(registry)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
