package com.orderintel.training;

import com.orderintel.dataset.Datasets;
import com.orderintel.registry.ModelManifest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Who trained a model, from which commit, when, with which libraries: decided before training starts, so a
 * trainer can give the model it returns a complete manifest (as a Tribuo model carries its provenance).
 */
public record Provenance(String version, String gitCommit, Instant createdAt, Map<String, String> libraries) {

    /**
     * The provenance of a training run in this process: the requested version, or the git commit sha, or
     * {@code dev-<epoch seconds>} outside a checkout.
     */
    public static Provenance current(String requestedVersion, Clock clock) {
        String commit = currentCommit();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String version = requestedVersion != null && !requestedVersion.isBlank() ? requestedVersion.strip()
                : commit != null ? commit : "dev-" + now.getEpochSecond();
        return new Provenance(version, commit, now, currentLibraries());
    }

    /** The manifest of a model trained under this provenance; metrics are added by evaluation. */
    public ModelManifest manifest(String name, ModelManifest.Task task, ModelManifest.AlgorithmSpec algorithm, String target,
                                  List<ModelManifest.FeatureSpec> features, Datasets.Source dataset,
                                  ModelManifest.ArtifactRef artifact, Map<String, Object> extensions) {
        return new ModelManifest(ModelManifest.SCHEMA_VERSION, name, version, task, algorithm, target, features, null,
                new ModelManifest.DatasetRef(dataset.uri(), dataset.sha256(), dataset.rows()), gitCommit, createdAt, artifact, libraries, extensions);
    }

    static String currentCommit() {
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

    static Map<String, String> currentLibraries() {
        Map<String, String> libs = new LinkedHashMap<>();
        libs.put("java", Runtime.version().toString());
        libs.put("smile-core", libraryVersion(smile.anomaly.IsolationForest.class, "com.github.haifengl", "smile-core"));
        libs.put("xgboost4j", libraryVersion(ml.dmlc.xgboost4j.java.XGBoost.class, "ml.dmlc", "xgboost4j_2.12"));
        libs.put("tribuo-math", libraryVersion(org.tribuo.math.la.DenseMatrix.class, "org.tribuo", "tribuo-math"));
        libs.put("jackson-databind", libraryVersion(com.fasterxml.jackson.databind.ObjectMapper.class, "com.fasterxml.jackson.core",
                "jackson-databind"));
        libs.put("order-intelligence", libraryVersion(Provenance.class, "com.orderintel", "training-runner"));
        return libs;
    }

    /**
     * The version of the library that holds {@code anchor}: its jar's Maven {@code pom.properties} when it has one,
     * else its manifest's {@code Implementation-Version} (Smile's jars carry only that), else "unknown" (e.g. classes
     * run from a build directory).
     */
    static String libraryVersion(Class<?> anchor, String group, String artifact) {
        String res = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        ClassLoader loader = anchor.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : anchor.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(res)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall back to the manifest
        }
        String v = anchor.getPackage() == null ? null : anchor.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "unknown" : v;
    }
}
