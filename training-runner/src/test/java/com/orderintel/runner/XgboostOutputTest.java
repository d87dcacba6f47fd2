package com.orderintel.runner;

import com.orderintel.dataset.DataGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code train demand --algorithm xgboost} in its own JVM prints only its summary on stdout: XGBoost4J's native-load
 * DEBUG line (commons-logging 1.3 routes it to SLF4J, and logback without a configuration prints DEBUG on stdout)
 * stays out, so stdout stays parseable.
 */
class XgboostOutputTest {

    @TempDir
    Path dir;

    @Test
    void stdoutHoldsOnlyTheSummary() throws Exception {
        Path csv = dir.resolve("demand.csv");
        DataGenerator.demand(csv, 600, 2, 3);
        Path stdout = dir.resolve("stdout.txt");
        // logback as the runner meets it (no configuration in its jars): everything from DEBUG on stdout
        Path logback = Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%-5level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dlogback.configurationFile=" + logback, "-cp",
                System.getProperty("java.class.path"), TrainingRunner.class.getName(),
                "train", "demand", "--algorithm", "xgboost", "--n-estimators", "5", "--data", csv.toString(),
                "--model-out", dir.resolve("m").toString(), "--model-version", "quiet", "--no-report")
                .redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(stdout);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(lines.getFirst()).startsWith("trained demand-forecast version quiet");
        assertThat(lines).noneMatch(l -> l.contains("DEBUG") || l.contains("NativeLibLoader"));
    }
}
