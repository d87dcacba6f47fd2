package com.orderintel.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * publish / promote / rollback / list on a filesystem registry with hand-made model directories (arbitrary
 * artifact bytes; these commands never decode the artifact), focused on the operator's error paths.
 */
class RegistryCommandsCliTest {

    @TempDir
    Path dir;

    private Path modelDir(String name, String version, byte[] artifact) throws Exception {
        return ModelDirs.write(dir.resolve(name + "-" + version + "-" + artifact.length), name, version, artifact);
    }

    @Test
    void promoteRollbackAndListOnAFileRegistry() throws Exception {
        String registry = dir.resolve("reg").toUri().toString();
        assertThat(CliRun.of("publish", "--model-dir", modelDir("order-anomaly", "aaa111", new byte[] {1}).toString(),
                "--registry", registry).exitCode()).isZero();
        assertThat(CliRun.of("publish", "--model-dir", modelDir("order-anomaly", "bbb222", new byte[] {2}).toString(),
                "--registry", registry).exitCode()).isZero();

        assertThat(CliRun.of("promote", "order-anomaly", "--alias", "production", "--version", "aaa111", "--registry", registry).out())
                .contains("order-anomaly@production: (unset) -> aaa111");
        assertThat(CliRun.of("promote", "order-anomaly", "--version", "bbb222", "--registry", registry).out())
                .contains("order-anomaly@production: aaa111 -> bbb222");
        CliRun list = CliRun.of("list", "--registry", registry);
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines()).filteredOn(l -> l.contains("bbb222")).singleElement().asString()
                .contains("order-anomaly", "production", "precision=1.0000", "2026-11-25T00:00:00Z");
        assertThat(list.out().lines()).filteredOn(l -> l.contains("aaa111")).singleElement().asString()
                .doesNotContain("production");

        assertThat(CliRun.of("rollback", "order-anomaly", "--alias", "production", "--registry", registry).out())
                .contains("order-anomaly@production: bbb222 -> aaa111");
        CliRun nothingLeft = CliRun.of("rollback", "order-anomaly", "--registry", registry);
        assertThat(nothingLeft.exitCode()).isEqualTo(2);
        assertThat(nothingLeft.err()).isEqualTo("error: alias 'production' of model 'order-anomaly' has no earlier version to roll back to"
                + System.lineSeparator());
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws Exception {
        String registry = dir.resolve("reg").toUri().toString();
        Path v1 = modelDir("m", "v1", new byte[] {1, 2});
        assertThat(CliRun.of("publish", "--model-dir", v1.toString(), "--registry", registry).exitCode()).isZero();
        // the same directory again is a no-op
        assertThat(CliRun.of("publish", "--model-dir", v1.toString(), "--registry", registry).exitCode()).isZero();

        CliRun conflict = CliRun.of("publish", "--model-dir", modelDir("m", "v1", new byte[] {3}).toString(), "--registry", registry);
        assertThat(conflict.exitCode()).isEqualTo(2);
        assertThat(conflict.err()).contains("version 'v1' is already published with a different artifact").hasLineCount(1);

        CliRun noDir = CliRun.of("publish", "--model-dir", dir.resolve("nope").toString(), "--registry", registry);
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.err()).contains("not a trained model directory").hasLineCount(1);

        Path tampered = modelDir("m", "v2", new byte[] {4});
        Files.write(tampered.resolve("model.bin"), new byte[] {5});
        CliRun mismatch = CliRun.of("publish", "--model-dir", tampered.toString(), "--registry", registry);
        assertThat(mismatch.exitCode()).isEqualTo(2);
        assertThat(mismatch.err()).contains("has sha256").contains("but the manifest of 'm' says").hasLineCount(1);

        CliRun scheme = CliRun.of("list", "--registry", "ftp://host/reg");
        assertThat(scheme.exitCode()).isEqualTo(2);
        assertThat(scheme.err()).contains("no model store for location 'ftp://host/reg'").hasLineCount(1);

        CliRun unpublished = CliRun.of("promote", "m", "--version", "v9", "--registry", registry);
        assertThat(unpublished.exitCode()).isEqualTo(2);
        assertThat(unpublished.err()).contains("no model 'm' version 'v9'").hasLineCount(1);

        CliRun missingVersion = CliRun.of("promote", "m", "--registry", registry);
        assertThat(missingVersion.exitCode()).isEqualTo(2);
        assertThat(missingVersion.err()).contains("Missing required option");
    }
}
