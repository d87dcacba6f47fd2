package com.orderintel.registryserver;

import com.orderintel.registry.AliasPolicy;
import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.registry.ModelManifest.Histogram;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import com.orderintel.store.Schema;
import com.orderintel.testkit.ThrowawayDatabase;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One registry, dataset location and capture database for the server's tests, built once per JVM: two models
 * (order-anomaly v1 in production and v2 in staging; demand-forecast d1 in production, d2 published), production
 * guarded, a training report on v1, a snapshot v1 and v2 were trained on, and live traffic of v1 with v2 shadowing
 * it, labelled. Manifests are small hand-made ones (the server never decodes an artifact).
 */
public final class ConsoleFixture {

    public static final String ANN = "ann";
    public static final String BOB = "bob";
    public static final String READER = "rita";
    public static final String PASSWORD = "pw-for-tests-1";
    public static final String ORDERS_SHA = "a".repeat(64);

    private static ConsoleFixture instance;

    public final Path root;
    public final String registry;
    public final String datasets;
    public final ThrowawayDatabase database;

    private ConsoleFixture() throws Exception {
        root = Files.createTempDirectory("registry-server-test");
        registry = root.resolve("registry").toUri().toString();
        datasets = root.resolve("exports").toUri().toString();
        try (ModelStore store = ModelStores.open(registry)) {
            publish(store, anomaly("v1", Instant.parse("2026-12-01T09:00:00Z"), 0.0, 0.91, 0.88));
            publish(store, anomaly("v2", Instant.parse("2026-12-05T09:00:00Z"), 300.0, 0.95, 0.90));
            publish(store, demand("d1", Instant.parse("2026-12-02T09:00:00Z"), 0.0, 3.1));
            publish(store, demand("d2", Instant.parse("2026-12-06T09:00:00Z"), 4.0, 2.7));
            store.attach("order-anomaly", "v1", "report.html",
                    "<html><body><h1>Training report of v1</h1><p>precision 0.91</p></body></html>".getBytes(StandardCharsets.UTF_8));
            store.promote("order-anomaly", "production", "v1", "ci (GitHub Actions: train run 1)", "first release");
            store.promote("order-anomaly", "staging", "v2", "ci (GitHub Actions: train run 2)", "shadow candidate");
            store.promote("demand-forecast", "production", "d1", "ci (GitHub Actions: train run 1)", "first release");
        }
        Path snap = root.resolve("exports/datasets/orders/20261201T080000Z");
        Files.createDirectories(snap);
        Files.writeString(snap.resolve("manifest.yaml"), """
                schemaVersion: 1
                name: orders
                snapshotId: 20261201T080000Z
                createdAt: 2026-12-01T08:00:00Z
                since: 2026-11-01T00:00:00Z
                until: 2026-12-01T00:00:00Z
                parts:
                  orders:
                    rows: 4000
                    files:
                    - {file: orders.csv, format: csv, rows: 4000, bytes: 120000, sha256: %s}
                    drift: {avg_processing_ms: 0.02, item_count: 0.01}
                """.formatted(ORDERS_SHA));
        database = new ThrowawayDatabase("registry_server");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(database.url());
        ds.setUser(ThrowawayDatabase.USER);
        Schema.migrate(ds);
        liveTraffic();
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "console-fixture-cleanup")); // shared by every test class
    }

    private void cleanUp() {
        try {
            database.close();
        } catch (RuntimeException e) {
            // the database server may be gone already; nothing else to release
        }
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    public static synchronized ConsoleFixture get() {
        if (instance == null) {
            try {
                instance = new ConsoleFixture();
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the test registry: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    public String users() {
        return ANN + ":" + PASSWORD + ":promoter;" + BOB + ":" + PASSWORD + ":admin;" + READER + ":" + PASSWORD + ":read";
    }

    public static AliasPolicy policy(String baseUrl) {
        return new AliasPolicy(List.of("production"), baseUrl);
    }

    private void publish(ModelStore store, ModelManifest m) throws Exception {
        byte[] bytes = (m.name() + "/" + m.version()).getBytes(StandardCharsets.UTF_8);
        Path f = Files.write(root.resolve(m.name() + "-" + m.version() + ".bin"), bytes);
        store.publish(new ModelManifest(m.schemaVersion(), m.name(), m.version(), m.task(), m.algorithm(), m.target(), m.features(),
                m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(),
                new ModelManifest.ArtifactRef("model.bin", "test/v1", Checksums.sha256(bytes), bytes.length), m.libraries(), null), f);
    }

    private static ModelManifest anomaly(String version, Instant at, double shift, double precision, double recall) {
        return new ModelManifest(1, "order-anomaly", version, ModelManifest.Task.ANOMALY,
                new ModelManifest.AlgorithmSpec("isolation-forest", Map.of("n_estimators", 100, "contamination", 0.05)), null,
                List.of(new FeatureSpec("avg_processing_ms", FeatureType.NUMERIC, 700.0 + shift, 7500.0, 1500.0 + shift,
                                new Histogram(List.of(700.0 + shift, 1200.0 + shift, 1500.0 + shift, 1800.0 + shift, 7500.0),
                                        List.of(0.25, 0.25, 0.25, 0.25)), null),
                        new FeatureSpec("item_count", FeatureType.INTEGER, 1.0, 47.0, 3.0,
                                new Histogram(List.of(1.0, 2.0, 4.0, 8.0, 47.0), List.of(0.3, 0.35, 0.25, 0.1)), null),
                        new FeatureSpec("payment_score", FeatureType.NUMERIC, 0.05, 0.99, 0.85,
                                new Histogram(List.of(0.05, 0.78, 0.85, 0.9, 0.99), List.of(0.25, 0.25, 0.25, 0.25)), null)),
                Map.of("precision", precision, "recall", recall, "f1", 2 * precision * recall / (precision + recall), "anomaly_rate", 0.05),
                new ModelManifest.DatasetRef("file:///exports/datasets/orders/20261201T080000Z/orders.csv", ORDERS_SHA, 4000),
                "0123456789abcdef0123456789abcdef01234567", at, null, Map.of("java", "25"), null);
    }

    private static ModelManifest demand(String version, Instant at, double shift, double mae) {
        return new ModelManifest(1, "demand-forecast", version, ModelManifest.Task.REGRESSION,
                new ModelManifest.AlgorithmSpec("ols", Map.of()), "demand",
                List.of(new FeatureSpec("avg_basket_value", FeatureType.NUMERIC, 68.0 + shift, 97.0 + shift, 84.0 + shift,
                                new Histogram(List.of(68.0 + shift, 80.0 + shift, 84.0 + shift, 88.0 + shift, 97.0 + shift),
                                        List.of(0.2, 0.3, 0.3, 0.2)), null),
                        new FeatureSpec("promo_flag", FeatureType.BINARY, 0.0, 1.0, 0.0,
                                new Histogram(List.of(0.0, 0.5, 1.0), List.of(0.8, 0.2)), null)),
                Map.of("mae", mae, "rmse", mae * 1.3, "r2", 0.8),
                new ModelManifest.DatasetRef("file:///exports/demand.csv", "b".repeat(64), 20000),
                "0123456789abcdef0123456789abcdef01234567", at, null, Map.of("java", "25"), null);
    }

    /** 200 orders scored by v1 (events, trusted) with v2 shadowing them; 60 labelled; slower orders than in training. */
    private void liveTraffic() throws Exception {
        try (Connection c = database.connect()) {
            PreparedStatement scored = c.prepareStatement("INSERT INTO scored_orders (prediction_id, order_id, source, model_name, "
                    + "model_version, avg_processing_ms, item_count, payment_score, is_anomaly, anomaly_score, instance, scored_at, trusted) "
                    + "VALUES (?, ?, 'event', 'order-anomaly', 'v1', ?, ?, ?, ?, ?, 'test', ?, true)");
            PreparedStatement shadow = c.prepareStatement("INSERT INTO shadow_orders (prediction_id, model_name, model_version, "
                    + "is_anomaly, anomaly_score, instance, scored_at) VALUES (?, 'order-anomaly', 'v2', ?, ?, 'test', ?)");
            PreparedStatement label = c.prepareStatement("INSERT INTO order_labels (label_key, order_id, prediction_id, is_anomaly) "
                    + "VALUES (?, ?, ?, ?)");
            Instant now = Instant.now();
            for (int i = 0; i < 200; i++) {
                String id = "p" + i;
                boolean flagged = i % 10 == 0;
                Timestamp at = Timestamp.from(now.minus(Duration.ofHours(i % 72)));
                scored.setString(1, id);
                scored.setString(2, "o" + i);
                scored.setDouble(3, 1600 + (i % 40) * 20);
                scored.setDouble(4, 1 + i % 9);
                scored.setDouble(5, 0.8 + (i % 10) / 100.0);
                scored.setBoolean(6, flagged);
                scored.setDouble(7, flagged ? 0.7 : 0.4);
                scored.setTimestamp(8, at);
                scored.addBatch();
                shadow.setString(1, id);
                shadow.setBoolean(2, flagged || i % 25 == 1);
                shadow.setDouble(3, flagged ? 0.72 : 0.41);
                shadow.setTimestamp(4, at);
                shadow.addBatch();
                if (i % 10 == 0 || i % 7 == 0) {
                    label.setString(1, "o" + i);
                    label.setString(2, "o" + i);
                    label.setString(3, id);
                    label.setBoolean(4, i % 20 == 0);
                    label.addBatch();
                }
            }
            scored.executeBatch();
            shadow.executeBatch();
            label.executeBatch();
            // 30 days of forecasts by d1 (batch, trusted) with their actuals: 2.0 off each
            PreparedStatement forecast = c.prepareStatement("INSERT INTO demand_forecasts (prediction_id, source, model_name, "
                    + "model_version, product_id, forecast_date, avg_basket_value, promo_flag, predicted_demand, instance, scored_at, "
                    + "trusted) VALUES (?, 'batch', 'demand-forecast', 'd1', 'P1', ?, ?, ?, ?, 'test', ?, true)");
            PreparedStatement actual = c.prepareStatement("INSERT INTO demand_actuals (product_id, forecast_date, actual_demand) "
                    + "VALUES ('P1', ?, ?)");
            for (int d = 0; d < 30; d++) {
                java.sql.Date day = java.sql.Date.valueOf(java.time.LocalDate.of(2026, 11, 1).plusDays(d));
                forecast.setString(1, "f" + d);
                forecast.setDate(2, day);
                forecast.setDouble(3, 80 + d % 10);
                forecast.setInt(4, d % 5 == 0 ? 1 : 0);
                forecast.setDouble(5, 100 + d);
                forecast.setTimestamp(6, Timestamp.from(now.minus(Duration.ofHours(d % 5 * 24L))));
                forecast.addBatch();
                actual.setDate(1, day);
                actual.setDouble(2, 102 + d);
                actual.addBatch();
            }
            forecast.executeBatch();
            actual.executeBatch();
        }
    }
}
