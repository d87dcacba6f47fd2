package com.orderintel.shadow;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the capture store knows about a candidate model version scored on live traffic beside the served one
 * (the evidence behind {@code promote --require-shadow}): pairs of outputs under one prediction id, the candidate's either in {@code shadow_orders} (shadow) or
 * in {@code scored_orders} (it answered a canary record, the primary's output is then the shadow row), and the
 * feedback given for those predictions. Only pairs a trusted source scored (order events, batch runs, authenticated
 * callers: {@code trusted} on the captured row, Flyway V8) count; the others are reported by source. Read by the service's shadow gauges and by
 * {@code training-runner promote --require-shadow}, so both see the same figures.
 */
public final class ShadowEvidence {

    private ShadowEvidence() {
    }

    /** True positives, false positives and false negatives of one model's flags on labelled orders. */
    public record Confusion(long tp, long fp, long fn) {
        /** TP / (TP + FP); NaN when the model flagged no labelled order. */
        public double precision() {
            return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
        }

        /** TP / (TP + FN); NaN when no labelled order was anomalous. */
        public double recall() {
            return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        }
    }

    /**
     * @param scored      orders scored by both models
     * @param agreement   share of those with the same anomaly flag (NaN when none)
     * @param correlation Pearson correlation of the two anomaly scores (NaN below 2 pairs or for a constant side)
     * @param labelled    of those, orders with feedback ({@code order_labels})
     */
    public record Anomaly(String model, String version, long scored, double agreement, double correlation, long labelled,
                          Confusion candidate, Confusion primary, List<BySource> bySource) { }

    /**
     * The pairs of one entry point ({@code rest}, {@code oip}, {@code event}, {@code batch}) and trust: only trusted
     * ones (order events, batch runs, authenticated callers) are evidence; anonymous scorings are shown, not counted.
     */
    public record BySource(String source, boolean trusted, long scored, long labelled) {
        @Override
        public String toString() {
            return source + (trusted ? "" : " (anonymous, not counted)") + " " + scored + " scored, " + labelled + " labelled";
        }
    }

    /**
     * @param maeBetween  mean |primary - candidate| of the forecasts (NaN when none)
     * @param withActuals of those, forecasts with an actual ({@code demand_actuals})
     */
    public record Demand(String model, String version, long scored, double maeBetween, long withActuals,
                         double candidateMae, double primaryMae, List<BySource> bySource) { }

    private static final String PAIRS_SINCE = "COALESCE(?::timestamptz, '-infinity'::timestamptz)";

    private static final String ANOMALY_PAIRS = "WITH pairs AS ("
            + "SELECT s.prediction_id, s.source, s.trusted, s.is_anomaly AS p_flag, s.anomaly_score AS p_score, h.is_anomaly AS c_flag, "
            + "h.anomaly_score AS c_score FROM shadow_orders h JOIN scored_orders s ON s.prediction_id = h.prediction_id "
            + "WHERE h.model_name = ? AND h.model_version = ? AND s.model_version <> h.model_version AND h.scored_at >= " + PAIRS_SINCE
            + " UNION ALL "
            + "SELECT s.prediction_id, s.source, s.trusted, h.is_anomaly, h.anomaly_score, s.is_anomaly, s.anomaly_score FROM scored_orders s "
            + "JOIN shadow_orders h ON h.prediction_id = s.prediction_id "
            + "WHERE s.model_name = ? AND s.model_version = ? AND h.model_version <> s.model_version AND s.scored_at >= " + PAIRS_SINCE
            + ") ";

    /** Only trusted pairs are evidence: anonymous callers could otherwise score thousands of chosen records. */
    private static final String ANOMALY = ANOMALY_PAIRS + "SELECT count(*), avg(CASE WHEN p_flag = c_flag THEN 1.0 ELSE 0.0 END), corr(p_score, c_score), "
            + "count(l.label_key), "
            + "count(*) FILTER (WHERE c_flag AND l.is_anomaly), count(*) FILTER (WHERE c_flag AND NOT l.is_anomaly), "
            + "count(*) FILTER (WHERE NOT c_flag AND l.is_anomaly), "
            + "count(*) FILTER (WHERE p_flag AND l.is_anomaly), count(*) FILTER (WHERE p_flag AND NOT l.is_anomaly), "
            + "count(*) FILTER (WHERE NOT p_flag AND l.is_anomaly) "
            + "FROM pairs p LEFT JOIN order_labels l ON l.prediction_id = p.prediction_id WHERE p.trusted";

    private static final String ANOMALY_BY_SOURCE = ANOMALY_PAIRS + "SELECT p.source, p.trusted, count(*), count(l.label_key) "
            + "FROM pairs p LEFT JOIN order_labels l ON l.prediction_id = p.prediction_id GROUP BY p.source, p.trusted "
            + "ORDER BY p.trusted DESC, p.source";

    private static final String DEMAND_PAIRS = "WITH pairs AS ("
            + "SELECT f.prediction_id, f.source, f.trusted, f.predicted_demand AS p, h.predicted_demand AS c FROM shadow_forecasts h "
            + "JOIN demand_forecasts f ON f.prediction_id = h.prediction_id "
            + "WHERE h.model_name = ? AND h.model_version = ? AND f.model_version <> h.model_version AND h.scored_at >= " + PAIRS_SINCE
            + " UNION ALL "
            + "SELECT f.prediction_id, f.source, f.trusted, h.predicted_demand, f.predicted_demand FROM demand_forecasts f "
            + "JOIN shadow_forecasts h ON h.prediction_id = f.prediction_id "
            + "WHERE f.model_name = ? AND f.model_version = ? AND h.model_version <> f.model_version AND f.scored_at >= " + PAIRS_SINCE
            + ") ";

    private static final String DEMAND = DEMAND_PAIRS + "SELECT count(*), avg(abs(p - c)), count(a.actual_demand), "
            + "avg(abs(c - a.actual_demand)), avg(abs(p - a.actual_demand)) FROM pairs "
            + "LEFT JOIN demand_actuals a ON a.prediction_id = pairs.prediction_id WHERE pairs.trusted";

    private static final String DEMAND_BY_SOURCE = DEMAND_PAIRS + "SELECT pairs.source, pairs.trusted, count(*), "
            + "count(a.actual_demand) FROM pairs LEFT JOIN demand_actuals a ON a.prediction_id = pairs.prediction_id "
            + "GROUP BY pairs.source, pairs.trusted ORDER BY pairs.trusted DESC, pairs.source";

    /** The live evidence on anomaly model {@code model} version {@code version} since {@code since} (null: all). */
    public static Anomaly anomaly(DataSource dataSource, String model, String version, Instant since) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ANOMALY)) {
            bind(ps, model, version, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Anomaly(model, version, rs.getLong(1), number(rs, 2), number(rs, 3), rs.getLong(4),
                        new Confusion(rs.getLong(5), rs.getLong(6), rs.getLong(7)),
                        new Confusion(rs.getLong(8), rs.getLong(9), rs.getLong(10)),
                        bySource(c, ANOMALY_BY_SOURCE, model, version, since));
            }
        }
    }

    /** The live evidence on demand model {@code model} version {@code version} since {@code since} (null: all). */
    public static Demand demand(DataSource dataSource, String model, String version, Instant since) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DEMAND)) {
            bind(ps, model, version, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Demand(model, version, rs.getLong(1), number(rs, 2), rs.getLong(3), number(rs, 4), number(rs, 5),
                        bySource(c, DEMAND_BY_SOURCE, model, version, since));
            }
        }
    }

    private static List<BySource> bySource(Connection c, String sql, String model, String version, Instant since)
            throws SQLException {
        List<BySource> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, model, version, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new BySource(rs.getString(1), rs.getBoolean(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return List.copyOf(out);
    }

    private static void bind(PreparedStatement ps, String model, String version, Instant since) throws SQLException {
        Timestamp at = since == null ? null : Timestamp.from(since);
        for (int offset : new int[] {0, 3}) {
            ps.setString(offset + 1, model);
            ps.setString(offset + 2, version);
            ps.setTimestamp(offset + 3, at);
        }
    }

    private static double number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }
}
