package com.orderintel.runner;

import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.Manifests;
import com.orderintel.registry.ModelManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code promote --require-shadow} against the capture store on the real PostgreSQL (a throw-away database, tables
 * from the Flyway migrations): pairs written the way the service's capture writes them (the answered output in
 * scored_orders, the other model's in shadow_orders under the same prediction id, canary records the other way
 * round) and labels in order_labels. A candidate that disagrees or flags badly is refused with exit 3 naming the
 * figure, its value and the threshold, and the alias does not move; a good one is promoted (and the shadow alias
 * swapped onto the replaced version).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromoteRequireShadowCliTest {

    private Path dir;

    private ThrowawayDatabase db;
    private String registry;

    @BeforeAll
    void setUp() throws Exception {
        dir = Files.createTempDirectory("promote-shadow-");
        db = new ThrowawayDatabase("batch_test");
        new CaptureTables(db); // migrates V1..V4
        registry = dir.resolve("reg").toUri().toString();
        for (String v : new String[] {"v1", "v2", "v9"}) {
            assertThat(CliRun.of("publish", "--model-dir", modelDir(v).toString(), "--registry", registry).exitCode()).isZero();
        }
        assertThat(CliRun.of("promote", "order-anomaly", "--version", "v1", "--registry", registry).exitCode()).isZero();
        assertThat(CliRun.of("promote", "order-anomaly", "--alias", "staging", "--version", "v9", "--registry", registry)
                .exitCode()).isZero();
        // 300 orders, every 10th truly anomalous and labelled; the primary v1 flags exactly the anomalies.
        // v2 (good): agrees on all but 6 (98 %), flags the anomalies; 60 of its records were canary (v2 answered).
        // v9 (worse): flags a third of the normal orders and a quarter of the anomalies (agreement 0.627, precision 8/18).
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("INSERT INTO scored_orders (prediction_id, order_id, source, model_name, "
                     + "model_version, avg_processing_ms, item_count, payment_score, is_anomaly, anomaly_score, instance, scored_at, "
                     + "trusted) VALUES (?, ?, 'rest', 'order-anomaly', ?, 1500, 3, 0.8, ?, ?, 'a', ?, true)"); // authenticated callers
             PreparedStatement h = c.prepareStatement("INSERT INTO shadow_orders (prediction_id, model_name, model_version, "
                     + "is_anomaly, anomaly_score, instance, scored_at) VALUES (?, 'order-anomaly', ?, ?, ?, 'a', ?)");
             PreparedStatement l = c.prepareStatement("INSERT INTO order_labels (label_key, order_id, prediction_id, is_anomaly) "
                     + "VALUES (?, ?, ?, ?)")) {
            Timestamp at = Timestamp.from(Instant.parse("2026-11-20T10:00:00Z"));
            for (String candidate : new String[] {"v2", "v9"}) {
                for (int i = 0; i < 300; i++) {
                    String id = candidate + "-p" + i;
                    boolean truth = i % 10 == 0;
                    boolean primary = truth;
                    boolean cand = candidate.equals("v2") ? (i < 6 ? !truth : truth) : (i % 3 == 1 && !truth) || i % 40 == 0;
                    boolean canary = candidate.equals("v2") && i >= 240;
                    s.setString(1, id);
                    s.setString(2, candidate + "-o" + i);
                    s.setString(3, canary ? candidate : "v1");
                    s.setBoolean(4, canary ? cand : primary);
                    s.setDouble(5, canary ? (cand ? -0.1 : 0.1) : (primary ? -0.1 : 0.1));
                    s.setTimestamp(6, at);
                    s.addBatch();
                    h.setString(1, id);
                    h.setString(2, canary ? "v1" : candidate);
                    h.setBoolean(3, canary ? primary : cand);
                    h.setDouble(4, canary ? (primary ? -0.1 : 0.1) : (cand ? -0.12 : 0.09));
                    h.setTimestamp(5, at);
                    h.addBatch();
                    if (i % 5 == 0) { // 60 labelled orders, 30 of them anomalous
                        l.setString(1, candidate + "-o" + i);
                        l.setString(2, candidate + "-o" + i);
                        l.setString(3, id);
                        l.setBoolean(4, truth);
                        l.addBatch();
                    }
                }
            }
            s.executeBatch();
            h.executeBatch();
            l.executeBatch();
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        db.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Path modelDir(String version) throws Exception {
        return ModelDirs.write(dir.resolve("order-anomaly-" + version), "order-anomaly", version, version.getBytes());
    }

    private CliRun promote(String version, String... more) {
        String[] base = {"promote", "order-anomaly", "--version", version, "--require-shadow", "--registry", registry,
                "--jdbc-url", db.url(), "--user", ThrowawayDatabase.USER, "--min-scored", "200", "--min-agreement", "0.9",
                "--min-precision", "0.5"}; // --min-labelled: default 50
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    private String production() {
        try (var store = com.orderintel.registry.ModelStores.open(registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry)) {
            return store.resolveAlias("order-anomaly", "production").orElseThrow();
        }
    }

    @Test
    void aWorseCandidateIsRefusedNamingTheFiguresThatFailed() {
        CliRun refused = promote("v9");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(PromoteCommand.REFUSED);
        assertThat(refused.out()).contains("order-anomaly v9 on live traffic: scored 300, agreement 0.627");
        assertThat(refused.err()).contains("refused: order-anomaly v9", "agreement 0.627 < 0.900 (--min-agreement)",
                "precision 0.444 < 0.500 (--min-precision)");
        assertThat(production()).as("a refused version does not move the alias").isEqualTo("v1");
        assertThat(CliRun.of("promote", "order-anomaly", "--version", "v9", "--require-shadow", "--registry", registry,
                "--jdbc-url", db.url(), "--user", ThrowawayDatabase.USER, "--min-agreement", "0.5", "--min-precision", "0.2")
                .err()).as("the default --min-scored is 1000").contains("scored orders 300 < 1000 (--min-scored)");
    }

    @Test
    void aCandidateWithoutEnoughLabelsIsRefused() {
        CliRun refused = promote("v2", "--min-labelled", "100");
        assertThat(refused.exitCode()).isEqualTo(PromoteCommand.REFUSED);
        assertThat(refused.err()).contains("labelled orders 60 < 100 (--min-labelled)");
    }

    @Test
    void aGoodCandidateIsPromotedAndTheShadowAliasTakesTheReplacedVersion() {
        CliRun accepted = promote("v2", "--shadow-alias", "staging");
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        // 294 of 300 agree, canary records counted in the right direction; precision 29/30 on the 60 labelled
        assertThat(accepted.out()).contains("scored 300, agreement 0.980", "labelled 60, precision 0.967", "order-anomaly@production: v1 -> v2",
                "order-anomaly@staging: v9 -> v1");
        assertThat(production()).isEqualTo("v2");
        // back to v1 for the other tests (order of tests is not fixed)
        assertThat(CliRun.of("promote", "order-anomaly", "--version", "v1", "--registry", registry).exitCode()).isZero();
    }
}
