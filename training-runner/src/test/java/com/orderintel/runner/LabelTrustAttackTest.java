package com.orderintel.runner;

import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.dataset.OrderRow;
import com.orderintel.snapshot.DatasetSource;
import com.orderintel.snapshot.SnapshotManifest;
import com.orderintel.snapshot.SnapshotManifests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static com.orderintel.runner.CliRun.snapshotDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attack suite's labels / evidence part on the runner side, against the real PostgreSQL (a throw-away database
 * migrated by Flyway, rows written the way the service's capture writes them, with {@code trusted}): an anonymous
 * re-scoring of a real order with crafted features neither becomes its training row nor takes its label; conflicting
 * trusted captures no longer stop the nightly export but are reported; the shadow gate counts trusted evidence only,
 * wants a minimum of labels, and prints the evidence by source.
 */
@Tag("attack")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabelTrustAttackTest {

    private Path dir;
    private ThrowawayDatabase db;
    private CaptureTables tables;
    private List<OrderRow> orders;

    @BeforeAll
    void setUp() throws Exception {
        dir = Files.createTempDirectory("label-trust-");
        db = new ThrowawayDatabase("batch_test");
        tables = new CaptureTables(db);
        orders = CaptureTables.generatedOrders(dir, 300, 17);
    }

    @AfterAll
    void tearDown() throws Exception {
        db.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private CliRun export(String name, String since, String until, String... extra) {
        List<String> args = new ArrayList<>(List.of("dataset", "export", "--jdbc-url", db.url(), "--user", ThrowawayDatabase.USER,
                "--since", since, "--until", until, "--out", dir.resolve("store").toUri().toString(), "--name", name,
                "--parts", "orders"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void anAnonymousRescoringChangesNeitherTheTrainingRowNorItsLabel() throws Exception {
        // 300 orders scored by order events (trusted) and labelled by order id; 31 of them re-scored later by an
        // anonymous caller with crafted features, as in the reproduced attack
        tables.scoreOrders("r", orders, Instant.parse("2025-03-01T00:00:00Z"), 1, false);
        for (int i = 0; i < 31; i++) {
            tables.scoreAgain("anon-" + i, "r-" + orders.get(i).orderId(), 7000, 40, 0.05,
                    Instant.parse("2025-03-10T00:00:00Z").plus(Duration.ofMinutes(i)), "{}", false);
        }
        CliRun run = export("rescored", "2025-03-01", "2025-04-01");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("orders: 31 anonymous scorings left out (not training rows)",
                "0 key(s) captured by trusted sources with different features; 31 key(s) also scored anonymously (ignored)");
        Path snap = snapshotDir(run);
        SnapshotManifest.Part part = SnapshotManifests.read(snap.resolve("manifest.yaml"), "test").part("orders");
        assertThat(part.rows()).isEqualTo(300);
        assertThat(part.excluded()).containsEntry("untrusted", 31L);
        assertThat(part.conflicts()).containsEntry("alsoScoredAnonymously", 31).containsEntry("trustedRecaptures", 0);
        List<OrderRow> exported = DatasetSource.orders(snap.resolve("orders.csv").toUri().toString()).rows();
        assertThat(exported).noneMatch(r -> r.avgProcessingMs() == 7000 && r.itemCount() == 40);
        for (int i = 0; i < 31; i++) {
            OrderRow truth = orders.get(i);
            OrderRow row = exported.stream().filter(r -> r.orderId().equals("r-" + truth.orderId())).findFirst().orElseThrow();
            assertThat(row.avgProcessingMs()).as("the trusted features of " + row.orderId()).isEqualTo(truth.avgProcessingMs());
            assertThat(row.label()).as("with the true label").isEqualTo(truth.label());
        }
    }

    @Test
    void conflictingTrustedCapturesCompleteTheExportAndAreReported() throws Exception {
        List<OrderRow> rows = orders.subList(0, 200);
        tables.scoreOrders("c", rows, Instant.parse("2025-05-01T00:00:00Z"), 1, false);
        OrderRow r = rows.get(5);
        // the same order again from a trusted source with other features (e.g. a corrected event)
        tables.scoreAgain("c-again", "c-" + r.orderId(), r.avgProcessingMs() + 100, r.itemCount(), r.paymentScore(),
                Instant.parse("2025-05-20T00:00:00Z"), "{}");
        CliRun run = export("conflicts", "2025-05-01", "2025-06-01");
        assertThat(run.exitCode()).as("the nightly export does not stop on a conflict: " + run.err()).isZero();
        assertThat(run.out()).contains("orders: conflicts resolved by the first trusted capture: 1 key(s) captured by trusted "
                + "sources with different features (e.g. c-" + r.orderId() + ")");
        Path snap = snapshotDir(run);
        SnapshotManifest.Part part = SnapshotManifests.read(snap.resolve("manifest.yaml"), "test").part("orders");
        assertThat(part.rows()).isEqualTo(200);
        assertThat(part.conflicts()).containsEntry("rule", "first trusted capture").containsEntry("trustedRecaptures", 1)
                .containsEntry("example", "c-" + r.orderId());
        OrderRow kept = DatasetSource.orders(snap.resolve("orders.csv").toUri().toString()).rows().stream()
                .filter(x -> x.orderId().equals("c-" + r.orderId())).findFirst().orElseThrow();
        assertThat(kept.avgProcessingMs()).as("the first trusted capture is the training row").isEqualTo(r.avgProcessingMs());
    }

    @Test
    void theShadowGateCountsTrustedEvidenceOnlyAndPrintsItBySource() throws Exception {
        Path reg = dir.resolve("reg");
        String registry = reg.toUri().toString();
        for (String v : new String[] {"v1", "v5"}) {
            Path d = ModelDirs.write(dir.resolve("m-" + v), "order-anomaly", v, v.getBytes());
            assertThat(CliRun.of("publish", "--model-dir", d.toString(), "--registry", registry).exitCode()).isZero();
        }
        assertThat(CliRun.of("promote", "order-anomaly", "--version", "v1", "--registry", registry).exitCode()).isZero();
        // the reproduced attack: 2,050 anonymous scorings the candidate v5 answered or shadowed, 25 of them labelled
        pairs("anon", 2050, 25, false, Instant.parse("2025-07-01T00:00:00Z"));
        CliRun anonymous = promote(registry);
        assertThat(anonymous.exitCode()).as(anonymous.err()).isEqualTo(PromoteCommand.REFUSED);
        assertThat(anonymous.out()).contains("scored 0,", "evidence by source: rest (anonymous, not counted) 2050 scored, 25 labelled");
        assertThat(anonymous.err()).contains("scored orders 0 < 1000 (--min-scored): too little live evidence (2050 anonymous "
                + "scorings not counted");
        assertThat(production(registry)).isEqualTo("v1");

        // then 1,100 trusted pairs (order events) but only 25 labels: below the default --min-labelled 50
        pairs("event", 1100, 25, true, Instant.parse("2025-07-02T00:00:00Z"));
        CliRun fewLabels = promote(registry);
        assertThat(fewLabels.exitCode()).as(fewLabels.err()).isEqualTo(PromoteCommand.REFUSED);
        assertThat(fewLabels.out()).contains("scored 1100,", "labelled 25,", "event 1100 scored, 25 labelled",
                "rest (anonymous, not counted) 2050 scored, 25 labelled");
        assertThat(fewLabels.err()).contains("labelled orders 25 < 50 (--min-labelled)");
        assertThat(production(registry)).isEqualTo("v1");
    }

    private CliRun promote(String registry) {
        return CliRun.of("promote", "order-anomaly", "--version", "v5", "--require-shadow", "--registry", registry,
                "--jdbc-url", db.url(), "--user", ThrowawayDatabase.USER, "--min-agreement", "0.5", "--min-precision", "0.1");
    }

    private String production(String registry) {
        try (var store = com.orderintel.registry.ModelStores.open(registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry)) {
            return store.resolveAlias("order-anomaly", "production").orElseThrow();
        }
    }

    /** {@code n} pairs (v1 answered, v5 shadowed; both flag every 10th), the first {@code labelled} labelled anomalous. */
    private void pairs(String prefix, int n, int labelled, boolean trusted, Instant at) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("INSERT INTO scored_orders (prediction_id, order_id, source, model_name, "
                     + "model_version, avg_processing_ms, item_count, payment_score, is_anomaly, anomaly_score, instance, scored_at, "
                     + "trusted) VALUES (?, ?, ?, 'order-anomaly', 'v1', 1500, 3, 0.8, ?, 0.1, 'a', ?, ?)");
             PreparedStatement h = c.prepareStatement("INSERT INTO shadow_orders (prediction_id, model_name, model_version, "
                     + "is_anomaly, anomaly_score, instance, scored_at) VALUES (?, 'order-anomaly', 'v5', ?, 0.1, 'a', ?)");
             PreparedStatement l = c.prepareStatement("INSERT INTO order_labels (label_key, order_id, prediction_id, is_anomaly) "
                     + "VALUES (?, ?, ?, true)")) {
            for (int i = 0; i < n; i++) {
                String id = prefix + "-p" + i;
                boolean flag = i < labelled || i % 10 == 0;
                s.setString(1, id);
                s.setString(2, prefix + "-o" + i);
                s.setString(3, trusted ? "event" : "rest");
                s.setBoolean(4, flag);
                s.setTimestamp(5, Timestamp.from(at));
                s.setBoolean(6, trusted);
                s.addBatch();
                h.setString(1, id);
                h.setBoolean(2, flag);
                h.setTimestamp(3, Timestamp.from(at));
                h.addBatch();
                if (i < labelled) {
                    l.setString(1, prefix + "-o" + i);
                    l.setString(2, prefix + "-o" + i);
                    l.setString(3, id);
                    l.addBatch();
                }
            }
            s.executeBatch();
            h.executeBatch();
            l.executeBatch();
        }
    }
}
