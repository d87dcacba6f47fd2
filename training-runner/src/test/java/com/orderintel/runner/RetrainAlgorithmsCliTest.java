package com.orderintel.runner;

import com.orderintel.registry.ModelManifest;
import com.orderintel.training.ModelPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code retrain --from-manifest} repeats what {@code train} did for every demand algorithm and both hold-outs: the
 * manifest records the algorithm, its hyper-parameters and a time-ordered split, and the retrained metrics match.
 */
class RetrainAlgorithmsCliTest {

    @TempDir
    static Path dir;
    private static String data;

    @BeforeAll
    static void generate() {
        Path csv = dir.resolve("demand.csv");
        CliRun gen = CliRun.of("generate", "demand", "--rows", "3000", "--products", "3", "--seed", "7", "--out", csv.toString());
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        data = csv.toString();
    }

    @ParameterizedTest
    @CsvSource({"ols,random", "ols,time", "xgboost,random", "xgboost,time"})
    void retrainReproducesTheOriginal(String algorithm, String split) {
        String name = algorithm + "-" + split;
        CliRun train = CliRun.of("train", "demand", "--algorithm", algorithm, "--split", split, "--data", data,
                "--model-out", dir.resolve(name).toString(), "--model-version", name, "--no-report");
        assertThat(train.exitCode()).as(train.err()).isZero();
        ModelManifest trained = ModelPackage.read(dir.resolve(name));
        assertThat(trained.algorithm().hyperParameters().getOrDefault("split", "random")).isEqualTo(split);

        String registry = dir.resolve("registry-" + name).toUri().toString().replaceAll("/$", "");
        CliRun pub = CliRun.of("publish", "--model-dir", dir.resolve(name).toString(), "--registry", registry, "--promote", "production");
        assertThat(pub.exitCode()).as(pub.err()).isZero();
        CliRun retrain = CliRun.of("retrain", "--from-manifest", registry + "/demand-forecast@production",
                "--model-out", dir.resolve("re-" + name).toString());
        assertThat(retrain.exitCode()).as(retrain.out() + retrain.err()).isZero();
        assertThat(retrain.out()).contains("(" + algorithm + ")").contains("reproduced: every metric within");
        Map<String, Double> original = trained.metrics();
        Map<String, Double> again = ModelPackage.read(dir.resolve("re-" + name)).metrics();
        assertThat(again.keySet()).isEqualTo(original.keySet());
        original.forEach((k, v) -> assertThat(again.get(k)).as(k).isCloseTo(v, within(1e-9)));
    }

    @Test
    void aManifestWithAnUnknownSplitIsRefusedByName() throws IOException {
        Path model = dir.resolve("bad-split");
        CliRun train = CliRun.of("train", "demand", "--split", "time", "--data", data, "--model-out", model.toString(),
                "--model-version", "bad-split", "--no-report");
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path manifest = model.resolve("manifest.yaml");
        String yaml = Files.readString(manifest);
        assertThat(yaml).contains("split: time");
        Files.writeString(manifest, yaml.replace("split: time", "split: future")); // hand-edited or from a newer runner
        String registry = dir.resolve("registry-bad-split").toUri().toString().replaceAll("/$", "");
        CliRun pub = CliRun.of("publish", "--model-dir", model.toString(), "--registry", registry, "--promote", "production");
        assertThat(pub.exitCode()).as(pub.err()).isZero();

        CliRun retrain = CliRun.of("retrain", "--from-manifest", registry + "/demand-forecast@production");
        assertThat(retrain.exitCode()).isEqualTo(2);
        assertThat(retrain.err()).contains("the manifest's hyper-parameter 'split' is 'future', expected random or time")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aManifestOfTheRetiredSmileAlgorithmIsRefusedByName() throws IOException {
        Path model = dir.resolve("retired");
        CliRun train = CliRun.of("train", "demand", "--data", data, "--model-out", model.toString(),
                "--model-version", "retired", "--no-report");
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path manifest = model.resolve("manifest.yaml");
        Files.writeString(manifest, Files.readString(manifest).replace("name: ols", "name: gbt")); // published by an older runner
        String registry = dir.resolve("registry-retired").toUri().toString().replaceAll("/$", "");
        CliRun pub = CliRun.of("publish", "--model-dir", model.toString(), "--registry", registry, "--promote", "production");
        assertThat(pub.exitCode()).as(pub.err()).isZero();

        CliRun retrain = CliRun.of("retrain", "--from-manifest", registry + "/demand-forecast@production");
        assertThat(retrain.exitCode()).isEqualTo(2);
        assertThat(retrain.err()).contains("unknown demand algorithm 'gbt' (this release trains [ols, xgboost])")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
