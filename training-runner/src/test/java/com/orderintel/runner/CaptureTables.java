package com.orderintel.runner;

import com.orderintel.testkit.ThrowawayDatabase;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.store.Schema;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The service's capture and feedback tables (Flyway V2, migrated by the batch library as the service does), seeded
 * with plain JDBC the way the service writes them: one scored_orders row per scoring and labels in order_labels;
 * forecasts in demand_forecasts and actuals in demand_actuals.
 */
final class CaptureTables {

    private final ThrowawayDatabase db;

    CaptureTables(ThrowawayDatabase db) {
        this.db = db;
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(db.url());
        ds.setUser(ThrowawayDatabase.USER);
        Schema.migrate(ds);
    }

    static List<OrderRow> generatedOrders(Path dir, int rows, long seed) {
        Path csv = dir.resolve("gen-orders-" + seed + ".csv");
        DataGenerator.orders(csv, rows, 0.05, seed);
        return Datasets.orders(csv).rows();
    }

    static List<DemandRow> generatedDemand(Path dir, int rows, int products, long seed) {
        Path csv = dir.resolve("gen-demand-" + seed + ".csv");
        DataGenerator.demand(csv, rows, products, seed);
        return Datasets.demand(csv).rows();
    }

    /**
     * Scores each order once, a minute apart from {@code start}; labels every {@code labelEvery}-th order (1 = all) by
     * order id, or by prediction id when {@code byPrediction}.
     */
    void scoreOrders(String prefix, List<OrderRow> rows, Instant start, int labelEvery, boolean byPrediction) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement(INSERT_SCORING);
             PreparedStatement l = c.prepareStatement("INSERT INTO order_labels (label_key, order_id, prediction_id, is_anomaly)"
                     + " VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < rows.size(); i++) {
                OrderRow r = rows.get(i);
                String predictionId = prefix + "-p" + i;
                bindScoring(s, predictionId, byPrediction ? null : prefix + "-" + r.orderId(), "event", r.avgProcessingMs(),
                        r.itemCount(), r.paymentScore(), "{}", "replica-a", start.plus(Duration.ofMinutes(i)), true);
                s.addBatch();
                if (i % labelEvery == 0) {
                    l.setString(1, byPrediction ? predictionId : prefix + "-" + r.orderId());
                    l.setString(2, byPrediction ? null : prefix + "-" + r.orderId());
                    l.setString(3, byPrediction ? predictionId : null);
                    l.setBoolean(4, r.label() == 1);
                    l.addBatch();
                }
            }
            s.executeBatch();
            l.executeBatch();
        }
    }

    /** One more scoring of an order by a trusted source, e.g. a redelivered event or an authenticated REST caller. */
    void scoreAgain(String predictionId, String orderId, double ms, double items, double pay, Instant at, String imputed)
            throws SQLException {
        scoreAgain(predictionId, orderId, ms, items, pay, at, imputed, true);
    }

    /** One more scoring of an order; {@code trusted} false: an anonymous REST caller (public scoring). */
    void scoreAgain(String predictionId, String orderId, double ms, double items, double pay, Instant at, String imputed,
                    boolean trusted) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(INSERT_SCORING)) {
            bindScoring(s, predictionId, orderId, "rest", ms, items, pay, imputed, "replica-b", at, trusted);
            s.executeUpdate();
        }
    }

    /** One scoring of order-anomaly v1 (not flagged, score 0.1), as the service captures it. */
    private static final String INSERT_SCORING = "INSERT INTO scored_orders (prediction_id, order_id, source, model_name,"
            + " model_version, avg_processing_ms, item_count, payment_score, imputed, is_anomaly, anomaly_score, instance,"
            + " scored_at, trusted) VALUES (?, ?, ?, 'order-anomaly', 'v1', ?, ?, ?, ?::text[], false, 0.1, ?, ?, ?)";

    private static void bindScoring(PreparedStatement s, String predictionId, String orderId, String source, double ms,
                                    double items, double pay, String imputed, String instance, Instant at, boolean trusted)
            throws SQLException {
        s.setString(1, predictionId);
        s.setString(2, orderId);
        s.setString(3, source);
        s.setDouble(4, ms);
        s.setDouble(5, items);
        s.setDouble(6, pay);
        s.setString(7, imputed);
        s.setString(8, instance);
        s.setTimestamp(9, Timestamp.from(at));
        s.setBoolean(10, trusted);
    }

    void label(String key, boolean anomalous) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement l = c.prepareStatement(
                "INSERT INTO order_labels (label_key, order_id, is_anomaly) VALUES (?, ?, ?)")) {
            l.setString(1, key);
            l.setString(2, key);
            l.setBoolean(3, anomalous);
            l.executeUpdate();
        }
    }

    /** Two forecasts per product-day (the later one's features count) and the actual demand of each day. */
    void forecastDemand(String prefix, List<DemandRow> rows) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement f = c.prepareStatement("INSERT INTO demand_forecasts (prediction_id, source, model_name,"
                     + " model_version, product_id, forecast_date, avg_basket_value, promo_flag, predicted_demand, instance, scored_at,"
                     + " trusted) VALUES (?, 'batch', 'demand-forecast', 'v1', ?, ?, ?, ?, 100, 'replica-a', ?, true)");
             PreparedStatement a = c.prepareStatement("INSERT INTO demand_actuals (product_id, forecast_date, actual_demand)"
                     + " VALUES (?, ?, ?)")) {
            for (int i = 0; i < rows.size(); i++) {
                DemandRow r = rows.get(i);
                Instant day = r.date().atStartOfDay(ZoneOffset.UTC).toInstant();
                for (int k = 0; k < 2; k++) { // an early forecast with a stale basket value, then the final one
                    f.setString(1, prefix + "-f" + i + "-" + k);
                    f.setString(2, r.productId());
                    f.setObject(3, r.date());
                    f.setDouble(4, k == 0 ? r.avgBasketValue() + 500 : r.avgBasketValue());
                    f.setInt(5, r.promoFlag());
                    f.setTimestamp(6, Timestamp.from(day.minus(Duration.ofDays(7 - k))));
                    f.addBatch();
                }
                a.setString(1, r.productId());
                a.setObject(2, r.date());
                a.setDouble(3, r.demand());
                a.addBatch();
            }
            f.executeBatch();
            a.executeBatch();
        }
    }
}
