package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads labelled training rows from the capture/feedback tables the service writes (Flyway V2: scored_orders,
 * order_labels, demand_forecasts, demand_actuals). The SQL is recorded in the snapshot manifest as run, with
 * {@code :since}/{@code :until} for the bound parameters.
 */
final class CapturedData implements CapturedRows {

    /**
     * The training row of each labelled order: its FIRST trusted capture (order event, batch run or authenticated
     * caller; Flyway V8 {@code trusted}) when that falls in [since, until), with the order's one label (label_key is
     * the order id, or the prediction id for a prediction without one). Anonymous scorings never enter, whatever
     * they sent. Rows with an imputed feature are left out: an imputed value is a training median, not an
     * observation. A prediction made without an order id keeps its prediction id as order_id.
     */
    static final String ORDERS_SQL = """
            SELECT COALESCE(s.order_id, s.prediction_id) AS order_id, s.avg_processing_ms, s.item_count, s.payment_score,
                   CASE WHEN l.is_anomaly THEN 1 ELSE 0 END AS label
            FROM scored_orders s
            JOIN order_labels l ON l.label_key = COALESCE(s.order_id, s.prediction_id)
            WHERE s.trusted AND s.scored_at >= :since AND s.scored_at < :until AND cardinality(s.imputed) = 0
              AND NOT EXISTS (SELECT 1 FROM scored_orders e WHERE e.order_id = s.order_id AND e.trusted
                              AND (e.scored_at, e.prediction_id) < (s.scored_at, s.prediction_id))
            ORDER BY s.scored_at, s.prediction_id""";

    /**
     * What the first-trusted-capture rule resolved for the labelled orders scored by a trusted source in [since, until):
     * orders captured by trusted sources with different features (count, an example) and orders also scored
     * anonymously (ignored). Reported in the manifest; the export does not fail on them.
     */
    static final String ORDERS_CONFLICTS_SQL = """
            SELECT count(*) FILTER (WHERE c.trusted_variants > 1), min(c.k) FILTER (WHERE c.trusted_variants > 1),
                   count(*) FILTER (WHERE c.anonymous > 0)
            FROM (SELECT s.order_id AS k,
                         count(DISTINCT (s.avg_processing_ms, s.item_count, s.payment_score))
                             FILTER (WHERE s.trusted AND cardinality(s.imputed) = 0) AS trusted_variants,
                         count(*) FILTER (WHERE NOT s.trusted) AS anonymous
                  FROM scored_orders s JOIN order_labels l ON l.label_key = s.order_id
                  WHERE s.order_id IN (SELECT t.order_id FROM scored_orders t
                                       WHERE t.trusted AND t.scored_at >= :since AND t.scored_at < :until)
                  GROUP BY s.order_id) c""";

    /**
     * The note features of the orders scored in [since, until) by a trusted source that carried a note (Flyway V5),
     * the first trusted scoring of each order (the orders part's training row), with what made them. Imputed rows are
     * left out as in the orders part.
     */
    static final String NOTES_SQL = """
            SELECT n.order_id, n.note_sentiment, n.note_category, n.feature_source, n.model, n.prompt_name, n.prompt_version,
                   n.prompt_sha256
            FROM (SELECT DISTINCT ON (COALESCE(s.order_id, s.prediction_id)) COALESCE(s.order_id, s.prediction_id) AS order_id,
                         CASE e.sentiment WHEN 'negative' THEN -1 WHEN 'positive' THEN 1 ELSE 0 END AS note_sentiment,
                         e.category AS note_category, e.feature_source, e.model, e.prompt_name, e.prompt_version,
                         e.prompt_sha256, s.scored_at, s.prediction_id
                  FROM scored_orders s JOIN order_note_enrichments e ON e.prediction_id = s.prediction_id
                  WHERE s.trusted AND s.scored_at >= :since AND s.scored_at < :until AND cardinality(s.imputed) = 0
                  ORDER BY COALESCE(s.order_id, s.prediction_id), s.scored_at, s.prediction_id) n
            ORDER BY n.scored_at, n.prediction_id""";

    static final String ORDERS_COUNT_SQL = """
            SELECT count(*) FILTER (WHERE trusted), count(*) FILTER (WHERE trusted AND cardinality(imputed) > 0),
                   count(*) FILTER (WHERE NOT trusted)
            FROM scored_orders WHERE scored_at >= :since AND scored_at < :until""";

    /**
     * Product-days in [since, until) (UTC dates) with an actual demand, joined with the features of the LATEST trusted
     * forecast made for that product and day (a product-day is forecast again as its basket value firms up; the last
     * trusted forecast is the one closest to what happened). Anonymous forecasts never enter.
     */
    static final String DEMAND_SQL = """
            SELECT a.forecast_date AS date, a.product_id, f.avg_basket_value, f.promo_flag, a.actual_demand AS demand
            FROM demand_actuals a
            JOIN LATERAL (
                SELECT x.avg_basket_value, x.promo_flag FROM demand_forecasts x
                WHERE x.product_id = a.product_id AND x.forecast_date = a.forecast_date AND x.trusted
                ORDER BY x.scored_at DESC, x.prediction_id DESC LIMIT 1) f ON true
            WHERE a.forecast_date >= :since AND a.forecast_date < :until
            ORDER BY a.forecast_date, a.product_id""";

    /** As {@link #ORDERS_CONFLICTS_SQL}, for product-days with an actual. */
    static final String DEMAND_CONFLICTS_SQL = """
            SELECT count(*) FILTER (WHERE c.trusted_variants > 1), min(c.k) FILTER (WHERE c.trusted_variants > 1),
                   count(*) FILTER (WHERE c.anonymous > 0)
            FROM (SELECT a.product_id || '@' || a.forecast_date AS k,
                         count(DISTINCT (x.avg_basket_value, x.promo_flag)) FILTER (WHERE x.trusted) AS trusted_variants,
                         count(*) FILTER (WHERE NOT x.trusted) AS anonymous
                  FROM demand_actuals a
                  JOIN demand_forecasts x ON x.product_id = a.product_id AND x.forecast_date = a.forecast_date
                  WHERE a.forecast_date >= :since AND a.forecast_date < :until
                  GROUP BY a.product_id, a.forecast_date) c""";

    static final String DEMAND_COUNT_SQL = """
            SELECT count(*) FROM (SELECT DISTINCT product_id, forecast_date FROM demand_forecasts
            WHERE trusted AND forecast_date >= :since AND forecast_date < :until) d""";



    private final DataSource dataSource;

    CapturedData(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<OrderRow> orders(Instant since, Instant until) {
        List<OrderRow> rows = new ArrayList<>();
        query(ORDERS_SQL, ps -> {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setTimestamp(2, Timestamp.from(until));
        }, rs -> rows.add(new OrderRow(rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getInt(5))));
        return rows;
    }

    @Override
    public List<NoteRow> notes(Instant since, Instant until) {
        List<NoteRow> rows = new ArrayList<>();
        query(NOTES_SQL, ps -> {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setTimestamp(2, Timestamp.from(until));
        }, rs -> rows.add(new NoteRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8))));
        return rows;
    }

    @Override
    public Counts orderCounts(Instant since, Instant until) {
        long[] c = new long[3];
        query(ORDERS_COUNT_SQL, ps -> {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setTimestamp(2, Timestamp.from(until));
        }, rs -> {
            c[0] = rs.getLong(1);
            c[1] = rs.getLong(2);
            c[2] = rs.getLong(3);
        });
        return new Counts(c[0], c[1], c[2]);
    }

    @Override
    public Conflicts orderConflicts(Instant since, Instant until) {
        return conflicts(ORDERS_CONFLICTS_SQL, ps -> {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setTimestamp(2, Timestamp.from(until));
        });
    }

    @Override
    public Conflicts demandConflicts(Instant since, Instant until) {
        return conflicts(DEMAND_CONFLICTS_SQL, dates(since, until));
    }

    private Conflicts conflicts(String sql, Binder binder) {
        Conflicts[] out = new Conflicts[1];
        query(sql, binder, rs -> out[0] = new Conflicts(rs.getLong(1), rs.getString(2), rs.getLong(3)));
        return out[0];
    }

    @Override
    public List<DemandRow> demand(Instant since, Instant until) {
        List<DemandRow> rows = new ArrayList<>();
        query(DEMAND_SQL, dates(since, until), rs -> rows.add(new DemandRow(rs.getObject(1, LocalDate.class), rs.getString(2),
                rs.getDouble(3), rs.getInt(4), rs.getDouble(5))));
        return rows;
    }

    @Override
    public long demandDays(Instant since, Instant until) {
        long[] c = new long[1];
        query(DEMAND_COUNT_SQL, dates(since, until), rs -> c[0] = rs.getLong(1));
        return c[0];
    }

    @Override
    public String query(String part) {
        return switch (part) {
            case SnapshotManifest.ORDERS -> ORDERS_SQL;
            case SnapshotManifest.DEMAND -> DEMAND_SQL;
            default -> NOTES_SQL;
        };
    }

    private static Binder dates(Instant since, Instant until) {
        return ps -> {
            ps.setObject(1, LocalDate.ofInstant(since, ZoneOffset.UTC));
            ps.setObject(2, LocalDate.ofInstant(until, ZoneOffset.UTC));
        };
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String namedSql, Binder binder, RowHandler handler) {
        String sql = namedSql.replace(":since", "?").replace(":until", "?");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // lets the driver stream with a fetch size instead of loading the whole result
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(10_000);
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        handler.accept(rs);
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            // no URL in the message: it may carry credentials
            throw new DataException("database error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + (("42P01".equals(e.getSQLState())) ? " (the capture tables do not exist: is this the service's database,"
                    + " migrated to V8?)" : ""), e);
        }
    }
}
