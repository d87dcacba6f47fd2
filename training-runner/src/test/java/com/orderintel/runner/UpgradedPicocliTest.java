package com.orderintel.runner;

import com.orderintel.training.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build step src/build/UpgradeClassFiles.java (run by `mvn package` on target/lib/picocli-*.jar, so the
 * launcher's AOT cache can hold picocli): run here on a copy of the real picocli jar, then the CLI runs on the
 * upgraded classes in a fresh JVM, which verifies them (class-path classes always are) with the type-checking verifier: stack maps required.
 */
class UpgradedPicocliTest {

    @TempDir
    Path dir;

    @Test
    void upgradedPicocliVerifiesAndRunsTheCli() throws Exception {
        Path original = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("picocli.jar");
        Files.copy(original, jar);
        assertThat(majorVersion(jar, "picocli/CommandLine.class")).isLessThan(50);

        Process upgrade = java(List.of("src/build/UpgradeClassFiles.java", jar.toString()));
        assertThat(upgrade.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String said = new String(upgrade.getInputStream().readAllBytes());
        assertThat(upgrade.exitValue()).as(said).isZero();
        assertThat(said).containsPattern("picocli.jar: \\d{3} class files upgraded to version 52");
        assertThat(majorVersion(jar, "picocli/CommandLine.class")).isEqualTo(52);
        assertThat(majorVersion(jar, "picocli/CommandLine$Model$CommandSpec.class")).isEqualTo(52);

        // this module's classes and every dependency, with the upgraded picocli in place of the original
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.add(Path.of(e).equals(original) ? jar.toString() : e);
        }
        Path out = dir.resolve("model");
        Process train = java(List.of("-cp", String.join(File.pathSeparator, cp), TrainingRunner.class.getName(),
                "train", "demand", "--data", TestData.sampleDemand().toString(), "--model-out", out.toString(),
                "--model-version", "upgraded", "--no-report"));
        assertThat(train.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String printed = new String(train.getInputStream().readAllBytes());
        assertThat(train.exitValue()).as(printed).isZero();
        assertThat(printed).contains("trained demand-forecast version upgraded");
        assertThat(out.resolve("manifest.yaml")).exists();

        Process bad = java(List.of("-cp", String.join(File.pathSeparator, cp), TrainingRunner.class.getName(),
                "train", "demand", "--algorithm", "lightgbm"));
        assertThat(bad.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String refused = new String(bad.getInputStream().readAllBytes());
        assertThat(bad.exitValue()).as(refused).isEqualTo(2);
        assertThat(refused).contains("expected one of ols, xgboost");
    }

    private static Process java(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static int majorVersion(Path jar, String entry) throws IOException {
        try (JarFile f = new JarFile(jar.toFile()); DataInputStream in = new DataInputStream(f.getInputStream(f.getEntry(entry)))) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor
            return in.readUnsignedShort();
        }
    }
}
