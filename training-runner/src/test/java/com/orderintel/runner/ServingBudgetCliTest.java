package com.orderintel.runner;

import com.orderintel.anomaly.CraftedForests;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.ModelManifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * evaluate (and infer, through the same {@code ModelLoader}) load artifacts within the serving budget the service
 * uses ({@code MODEL_MAX_SERVING_BYTES}): a valid isolation forest of chain trees that would pad to 238 MB for
 * scoring is refused with one line naming the budget, from a package directory and from a registry alike.
 */
@Tag("attack")
class ServingBudgetCliTest {

    @TempDir
    Path dir;

    @Test
    void evaluateRefusesAModelTooLargeToServe() throws Exception {
        Path orders = dir.resolve("orders.csv");
        DataGenerator.orders(orders, 2000, 0.05, 3);
        Path pkg = dir.resolve("model");
        CliRun trained = CliRun.of("train", "anomaly", "--data", orders.toString(), "--model-out", pkg.toString(),
                "--no-report", "--n-estimators", "20");
        assertThat(trained.exitCode()).as(trained.err()).isZero();

        // the trained package, its artifact replaced by 2,000 chain trees of depth 12 (2.4 MB) and its manifest to match
        Path manifestFile = pkg.resolve(ManifestCodec.FILE_NAME);
        ModelManifest m = ManifestCodec.read(Files.readAllBytes(manifestFile), manifestFile.toString());
        byte[] artifact = CraftedForests.chainArtifact(2_000, 12);
        Files.write(pkg.resolve(m.artifact().file()), artifact);
        ModelManifest crafted = new ModelManifest(m.schemaVersion(), m.name(), "padded", m.task(), m.algorithm(), m.target(),
                m.features(), m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(),
                new ModelManifest.ArtifactRef(m.artifact().file(), m.artifact().format(), Checksums.sha256(artifact),
                        artifact.length), m.libraries(), m.extensions());
        Files.write(manifestFile, ManifestCodec.write(crafted));

        CliRun fromDir = CliRun.of("evaluate", "--model-dir", pkg.toString(), "--data", orders.toString(), "--no-report");
        assertThat(fromDir.exitCode()).isNotZero();
        assertThat(fromDir.err()).contains("too large to serve", "padded to complete trees of depth 12", "MODEL_MAX_SERVING_BYTES")
                .doesNotContain("\tat ");

        FileSystemModelStore store = FileSystemModelStore.at(dir.resolve("registry"));
        store.publish(crafted, pkg.resolve(m.artifact().file()));
        CliRun fromRegistry = CliRun.of("evaluate", "--model-uri", store.location().replaceAll("/$", "") + "/padded/"
                + m.name(), "--data", orders.toString(), "--no-report");
        assertThat(fromRegistry.exitCode()).isNotZero();
        assertThat(fromRegistry.err()).contains("too large to serve").doesNotContain("\tat ");
    }
}
