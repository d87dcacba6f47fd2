package com.orderintel.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.anomaly.CraftedForests;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ModelManifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static com.orderintel.e2e.FaultInfra.READY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack B: a crafted but valid isolation forest, 30,000 chain trees of depth 12 (a 36 MB artifact that the fast
 * scoring layout would pad to gigabytes), promoted to {@code production} while the service (the real jar, a 768 MB
 * heap, a file registry, the alias watcher every 2 s) serves v1. The service must refuse it before building it
 * (counted as TOO_LARGE, shown in {@code advisor_model_alias_refused}, logged with the alias and version), keep
 * serving v1 and stay live; an admin reload of it must be a 422 problem; and v2, promoted next, must be served within
 * a watcher interval or two. Before the serving budget the load ran the heap out: the reload answered 500 and the
 * watcher's periodic task died of the OutOfMemoryError without a log line, so v2 was never applied.
 */
@Tag("faults")
@Tag("attack")
class OversizedModelFaultTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "faults-admin-token-" + Long.toHexString(System.nanoTime());
    static final String READ = "faults-read-token-" + Long.toHexString(System.nanoTime());
    static final String ORDER = "{\"order_id\":\"o-1\",\"avg_processing_ms\":7000,\"item_count\":40,\"payment_score\":0.05}";
    static final Duration WATCH = Duration.ofSeconds(2);

    @TempDir
    Path work;

    @Test
    void aModelTooLargeToServeIsRefusedAndTheNextGoodPromoteIsServed() throws Exception {
        Path registry = work.resolve("registry");
        FileSystemModelStore store = FileSystemModelStore.at(registry);
        FixtureModels.publish(store, "v1", "production");
        FixtureModels.publish(store, "v2", null);
        byte[] artifact = CraftedForests.chainArtifact(30_000, 12);
        publishCrafted(store, "crafted", artifact);

        Map<String, String> env = Map.of("MODEL_URI_ANOMALY", "file://" + registry + "/order-anomaly@production",
                "ADVISOR_MODELS_WATCH_INTERVAL", WATCH.toSeconds() + "s",
                "SPRING_CLOUD_VAULT_ENABLED", "false", "ADVISOR_CAPTURE_ENABLED", "false",
                "ADVISOR_SECURITY_ADMIN_TOKEN", ADMIN, "ADVISOR_SECURITY_READ_TOKEN", READ);
        try (Processes.Service service = new Processes.Service("oversized-model", env, work, "768m")) {
            service.awaitReady(READY);
            assertThat(servedVersion(service)).isEqualTo("v1");

            store.promote("order-anomaly", "production", "crafted", "fault-suite");
            long t0 = System.nanoTime();
            int livenessNot200 = 0;
            int scoringNot200 = 0;
            int probes = 0;
            boolean refusedShown = false;
            while (System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos() && service.alive()) {
                probes++;
                livenessNot200 += status(service, "/actuator/health/liveness") == 200 ? 0 : 1;
                scoringNot200 += Processes.postJson(service.url("/api/v1/anomaly"), ORDER).statusCode() == 200 ? 0 : 1;
                if (refusedGauge(service) == 1) {
                    refusedShown = true;
                    break;
                }
                Thread.sleep(250);
            }
            double refusedSeconds = (System.nanoTime() - t0) / 1e9;
            String servedDuring = servedVersionOrError(service);
            String metrics = metricsOrEmpty(service);
            double tooLarge = Processes.scrape(metrics, "advisor_model_load_failures_total", "reason=\"TOO_LARGE\"");
            String log = Files.readString(service.log);
            boolean logged = log.contains("alias order-anomaly@production moved to version crafted, which was refused");

            HttpResponse<String> reload = Processes.postJson(service.url("/api/v1/admin/models/reload"),
                    "{\"anomaly_uri\":\"file://" + registry + "/crafted/order-anomaly\"}", ADMIN);

            store.promote("order-anomaly", "production", "v2", "fault-suite");
            long t1 = System.nanoTime();
            awaitUpTo(Duration.ofSeconds(60), () -> "v2".equals(servedVersionOrError(service)));
            double goodServedSeconds = (System.nanoTime() - t1) / 1e9;
            String servedAfter = servedVersionOrError(service);
            boolean aliveAtEnd = service.alive();
            int livenessAtEnd = aliveAtEnd ? status(service, "/actuator/health/liveness") : -1;

            Map<String, Object> f = FaultInfra.figures();
            f.put("heap", "768m");
            f.put("artifact_mb", String.format("%.1f", artifact.length / 1e6));
            f.put("refused_shown", refusedShown);
            f.put("refused_after_s", String.format("%.1f", refusedSeconds));
            f.put("load_failures_too_large", Double.isNaN(tooLarge) ? 0 : (long) tooLarge);
            f.put("refusal_logged", logged);
            f.put("probes", probes);
            f.put("liveness_non_200", livenessNot200);
            f.put("scoring_non_200", scoringNot200);
            f.put("served_during", servedDuring);
            f.put("reload_status", reload.statusCode());
            f.put("good_promote_served_after_s", String.format("%.1f", goodServedSeconds));
            f.put("served_after", servedAfter);
            f.put("liveness_at_end", livenessAtEnd);
            f.put("peak_rss_mb", service.peakRssKb() / 1024);
            FaultInfra.report("oversized-model", f);

            assertThat(refusedShown).as("advisor_model_alias_refused{version=crafted} = 1 within 60 s").isTrue();
            assertThat(tooLarge).as("advisor_model_load_failures_total{reason=TOO_LARGE}").isEqualTo(1);
            assertThat(logged).as("the refusal is logged with the alias and version").isTrue();
            assertThat(livenessNot200).as("liveness answers that were not 200").isZero();
            assertThat(scoringNot200).as("scoring answers that were not 200").isZero();
            assertThat(servedDuring).isEqualTo("v1");
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(422);
            assertThat(reload.body()).contains("TOO_LARGE", "too large to serve").doesNotContain("\tat ");
            assertThat(servedAfter).as("the good version promoted after the refused one").isEqualTo("v2");
            assertThat(goodServedSeconds).as("served within the watcher's interval plus one load")
                    .isLessThan(2 * WATCH.toSeconds() + 10);
            assertThat(livenessAtEnd).isEqualTo(200);
        }
    }

    /** Publishes {@code artifact} as anomaly model {@code version}, its manifest v1's with the artifact's checksum and size. */
    private void publishCrafted(FileSystemModelStore store, String version, byte[] artifact) throws Exception {
        ModelManifest m = FixtureModels.manifest(FixtureModels.anomalyPackage("v1"));
        ModelManifest crafted = new ModelManifest(m.schemaVersion(), m.name(), version, m.task(), m.algorithm(), m.target(),
                m.features(), m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(),
                new ModelManifest.ArtifactRef(m.artifact().file(), m.artifact().format(), Checksums.sha256(artifact),
                        artifact.length), m.libraries(), m.extensions());
        Path pkg = Files.createDirectories(work.resolve("pkg-" + version));
        Files.write(pkg.resolve(m.artifact().file()), artifact);
        store.publish(crafted, pkg.resolve(m.artifact().file()));
    }

    private static double refusedGauge(Processes.Service service) {
        return Processes.scrape(metricsOrEmpty(service), "advisor_model_alias_refused", "version=\"crafted\"");
    }

    private static String metricsOrEmpty(Processes.Service service) {
        try {
            return service.metrics();
        } catch (Exception e) {
            return "";
        }
    }

    private static int status(Processes.Service service, String path) {
        try {
            return Processes.get(service.url(path)).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String servedVersion(Processes.Service service) throws Exception {
        HttpResponse<String> r = Processes.get(service.url("/api/v1/models/order-anomaly"), READ);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("version").asText();
    }

    private static String servedVersionOrError(Processes.Service service) {
        try {
            return servedVersion(service);
        } catch (Throwable e) {
            return "error";
        }
    }

    private static void awaitUpTo(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && !condition.getAsBoolean()) {
            Thread.sleep(100);
        }
    }
}
