package com.orderintel.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.orderintel.dataset.DataException;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.ModelManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The output directory of {@code train}: {@code manifest.yaml}, the artifact and {@code metrics.json}; the unit
 * that {@code publish} uploads and {@code evaluate} reads.
 */
public final class ModelPackage {

    public static final String METRICS_FILE = "metrics.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelPackage() {
    }

    /** What a trainer produced, before it is packaged. */
    public record Trained(String name, ModelManifest.Task task, String format, String artifactFile, byte[] artifact,
                          ModelManifest.AlgorithmSpec algorithm, String target, List<ModelManifest.FeatureSpec> features,
                          Map<String, Double> metrics, ModelManifest.DatasetRef dataset, Map<String, Object> extensions) { }

    public static ModelManifest write(Path dir, Trained t, String version) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(t.artifactFile()), t.artifact());
            String commit = gitCommit();
            ModelManifest manifest = new ModelManifest(ModelManifest.SCHEMA_VERSION, t.name(),
                    version != null ? version : (commit != null ? commit : "dev-" + Instant.now().getEpochSecond()),
                    t.task(), t.algorithm(), t.target(), t.features(), t.metrics(), t.dataset(), commit,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    new ModelManifest.ArtifactRef(t.artifactFile(), t.format(), Checksums.sha256(t.artifact()), t.artifact().length),
                    libraries(), t.extensions());
            Files.write(dir.resolve(ManifestCodec.FILE_NAME), ManifestCodec.write(manifest));
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("model", t.name());
            metrics.put("version", manifest.version());
            metrics.put("algorithm", t.algorithm().name());
            metrics.put("metrics", t.metrics());
            JSON.writeValue(dir.resolve(METRICS_FILE).toFile(), metrics);
            return manifest;
        } catch (IOException e) {
            throw new DataException("cannot write model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a package's manifest and checks the artifact beside it is the one the manifest names. */
    public static ModelManifest read(Path dir) {
        Path m = dir.resolve(ManifestCodec.FILE_NAME);
        if (!Files.isRegularFile(m)) {
            throw new DataException(dir + ": not a trained model directory (no " + ManifestCodec.FILE_NAME + ")");
        }
        try {
            return ManifestCodec.read(Files.readAllBytes(m), m.toString());
        } catch (IOException e) {
            throw new DataException("cannot read " + m + ": " + e.getMessage(), e);
        }
    }

    static String gitCommit() {
        String env = System.getenv("GIT_COMMIT");
        if (env != null && env.matches("[0-9a-f]{7,40}")) {
            return env;
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    static Map<String, String> libraries() {
        Map<String, String> libs = new LinkedHashMap<>();
        libs.put("java", Runtime.version().toString());
        libs.put("smile-core", pomVersion("com.github.haifengl", "smile-core"));
        libs.put("jackson-databind", pomVersion("com.fasterxml.jackson.core", "jackson-databind"));
        libs.put("order-intelligence", pomVersion("com.orderintel", "training-runner"));
        return libs;
    }

    private static String pomVersion(String group, String artifact) {
        String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = ModelPackage.class.getResourceAsStream(res)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
