package com.orderintel.advisor.capture;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.serving.Source;
import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.registry.ModelLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The capture writer against the real PostgreSQL, fed directly (the entry points refuse these values, so this is the
 * only way to hand the database a record it refuses): records PostgreSQL refuses sit in the middle of one batch of
 * ordinary records; the refused ones land in {@code capture_quarantine} with the database's reason and every other
 * record lands. Before, the writer retried the whole batch every 2 s for ever and nothing after it was captured.
 */
@Tag("attack")
class CaptureQuarantineTest {

    @RegisterExtension
    static final ThrowawayDatabase DB = new ThrowawayDatabase("advisor_quarantine");
    private static final TrainedModels MODELS = TrainedModels.create();

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser("postgres");
        return ds;
    }

    private static CaptureWriter writer(String url, SimpleMeterRegistry meters) {
        return new CaptureWriter(dataSource(url), new CaptureProperties(true, 10_000, 1000, Duration.ofMillis(50),
                Duration.ofMillis(200)), "test-instance", meters);
    }

    @SuppressWarnings("unchecked")
    private static LoadedModel<AnomalyDetector> anomaly() {
        return new LoadedModel<>(ModelSlot.ANOMALY, MODELS.anomalyUri, (AnomalyDetector) ModelLoader.load(MODELS.anomalyUri),
                Instant.now());
    }

    private static LoadedModel<DemandForecaster> demand() {
        return new LoadedModel<>(ModelSlot.DEMAND, MODELS.demandUri, (DemandForecaster) ModelLoader.load(MODELS.demandUri),
                Instant.now());
    }

    private static void orders(CaptureWriter w, LoadedModel<AnomalyDetector> model, String tag, List<String> orderIds) {
        List<OrderMetrics> orders = new ArrayList<>();
        List<AnomalyResult> results = new ArrayList<>();
        List<String> predictionIds = new ArrayList<>();
        for (int i = 0; i < orderIds.size(); i++) {
            orders.add(new OrderMetrics(orderIds.get(i), 1200, 3, 0.5));
            results.add(new AnomalyResult(false, 0.1, 0.4));
            predictionIds.add(tag + "-" + i);
        }
        w.orders(Source.REST, true, model, orders, results, predictionIds, Collections.nCopies(orders.size(), List.of()));
    }

    @Test
    void aRefusedRecordIsQuarantinedWithItsReasonAndTheRecordsAroundItLand() throws Exception {
        com.orderintel.store.Schema.migrate(dataSource(DB.url())); // what the service does at start-up
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CaptureWriter w = writer(DB.url(), meters);
        LoadedModel<AnomalyDetector> anomaly = anomaly();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add("q-" + i);
        }
        ids.set(17, "evil\u0000id");                  // PostgreSQL text cannot hold NUL: 22021
        ids.set(41, "\\.");                           // COPY's end-of-data marker: escaped, so stored as it is
        ids.set(42, "tab\tand\nnewline\\");           // COPY's separators and escape: stored as they are
        orders(w, anomaly, "qo", ids);
        // a forecast for a day PostgreSQL's date type cannot take (LocalDate prints +10000-01-01): 22008/22007
        w.forecasts(Source.REST, true, demand(), List.of(new DemandQuery(LocalDate.of(2024, 8, 15), "P001", 40, 0),
                        new DemandQuery(LocalDate.of(10_000, 1, 1), "P001", 40, 0), new DemandQuery(LocalDate.of(2024, 8, 16), "P001", 40, 1)),
                List.of(1.0, 2.0, 3.0), List.of("qf-0", "qf-1", "qf-2"));
        w.start(); // one batch: the refused records sit among 61 ordinary ones
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE prediction_id LIKE 'qo-%'")).isEqualTo(59);
                assertThat(DB.count("SELECT count(*) FROM demand_forecasts WHERE prediction_id LIKE 'qf-%'")).isEqualTo(2);
            });
            assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE prediction_id = 'qo-17'")).isZero();
            assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id = E'\\\\.' AND prediction_id = 'qo-41'"))
                    .as("the end-of-data marker is an ordinary value").isEqualTo(1);
            assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE order_id = E'tab\\tand\\nnewline\\\\'")).isEqualTo(1);

            List<String> quarantined = new ArrayList<>();
            try (Connection c = DB.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT target_table, prediction_id, sqlstate, reason, record, instance "
                         + "FROM capture_quarantine ORDER BY prediction_id")) {
                while (rs.next()) {
                    quarantined.add(String.join(" | ", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
            assertThat(quarantined).hasSize(2);
            assertThat(quarantined.get(0)).startsWith("demand_forecasts | qf-1 | 2200").contains("+10000-01-01")
                    .endsWith("test-instance");
            assertThat(quarantined.get(1)).startsWith("scored_orders | qo-17 | 22021 | ")
                    .contains("invalid byte sequence for encoding \"UTF8\": 0x00").contains("orderId=evil\\u0000id");
            assertThat(meters.get("advisor.capture.quarantined").tag("table", "scored_orders").counter().count()).isEqualTo(1);
            assertThat(meters.get("advisor.capture.quarantined").tag("table", "demand_forecasts").counter().count()).isEqualTo(1);
            assertThat(meters.get("advisor.capture.written").counter().count()).isEqualTo(61);
            assertThat(meters.get("advisor.capture.dropped").tag("reason", "buffer_full").counter().count()).isZero();

            // and the writer goes on: later records land at once
            orders(w, anomaly, "later", List.of("later-1", "later-2"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(DB.count("SELECT count(*) FROM scored_orders WHERE prediction_id LIKE 'later-%'")).isEqualTo(2));
        } finally {
            w.stop();
        }
    }

    @Test
    void aDatabaseThatIsAwayIsWaitedForNotQuarantined() throws Exception {
        // the database does not exist yet (SQLSTATE 3D000, like a server that is away): the batch is retried with
        // backoff, and lands whole once the database is there
        String name = "advisor_away_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String url = "jdbc:postgresql://127.0.0.1:5432/" + name;
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CaptureWriter w = writer(url, meters);
        orders(w, anomaly(), "away", List.of("away-1", "away-2", "away-3"));
        w.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("advisor.capture.write.failures").counter().count() >= 2);
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
            com.orderintel.store.Schema.migrate(dataSource(url)); // the service's start-up migration, retried until the database is there
            await().atMost(Duration.ofSeconds(20)).until(() -> meters.get("advisor.capture.written").counter().count() == 3);
            assertThat(meters.find("advisor.capture.quarantined").counter()).as("nothing quarantined").isNull();
        } finally {
            w.stop();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void dataExceptionsAndConstraintsAreRefusalsConnectionTroubleIsNot() {
        assertThat(Quarantine.refused(new SQLException("nul", "22021"))).isTrue();
        assertThat(Quarantine.refused(new SQLException("check", "23514"))).isTrue();
        assertThat(Quarantine.refused(new SQLException("index row too big", "54000"))).isTrue();
        assertThat(Quarantine.refused(new SQLException("away", "08006"))).isFalse();
        assertThat(Quarantine.refused(new SQLException("shutting down", "57P01"))).isFalse();
        assertThat(Quarantine.refused(new SQLException("no database", "3D000"))).isFalse();
        assertThat(Quarantine.refused(new SQLException("COPY failed"))).isFalse();
    }

    @Test
    void quarantinedTextIsStorableAndBounded() {
        assertThat(Quarantine.storable("a\u0000b\\c\uD800d\uD835\uDC00", 100)).isEqualTo("a\\u0000b\\u005Cc\\uD800d\uD835\uDC00");
        assertThat(Quarantine.storable("x".repeat(100_000), 10)).isEqualTo("xxxxxxxxxx...(100000 chars)");
    }
}
