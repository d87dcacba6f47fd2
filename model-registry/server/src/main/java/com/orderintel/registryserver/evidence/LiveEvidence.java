package com.orderintel.registryserver.evidence;

import com.orderintel.registry.ModelManifest;
import com.orderintel.shadow.ShadowEvidence;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the capture store says about a model version on live traffic: its shadow (or canary) evidence through
 * capture-store's {@link ShadowEvidence} (the figures {@code promote --require-shadow} judges), the drift of each
 * captured input feature against the version's training histogram (PSI over the last {@link #DRIFT_WINDOW}), and its
 * precision (anomaly) or MAE (demand) against feedback, day by day. Only trusted captures count, as for the gate.
 * Every query aggregates in PostgreSQL: nothing is read row by row.
 */
@Service
public class LiveEvidence {

    public static final Duration DRIFT_WINDOW = Duration.ofDays(7);
    /** Days the rolling figures cover (at most {@link #MAX_DAYS}). */
    public static final int MAX_DAYS = 90;

    /** The captured inputs of each task, as SQL over its capture table (features not captured have no drift here). */
    private static final Map<String, String> ORDER_FEATURES = Map.of("avg_processing_ms", "avg_processing_ms",
            "item_count", "item_count", "payment_score", "payment_score");
    // as models' DemandFeatures computes them: day_of_week Monday = 0, is_weekend Saturday and Sunday
    private static final Map<String, String> DEMAND_FEATURES = Map.of("avg_basket_value", "avg_basket_value",
            "promo_flag", "promo_flag::float8", "day_of_week", "(extract(isodow FROM forecast_date) - 1)::float8",
            "is_weekend", "(extract(isodow FROM forecast_date) >= 6)::int::float8",
            "day_of_year", "extract(doy FROM forecast_date)::float8");

    private final ObjectProvider<DataSource> dataSource;

    public LiveEvidence(ObjectProvider<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether a capture store is configured at all. */
    public boolean configured() {
        return dataSource.getIfAvailable() != null;
    }

    /** The shadow evidence of a version: {@link ShadowEvidence.Anomaly} or {@link ShadowEvidence.Demand}. */
    public Object shadow(ModelManifest m) throws SQLException {
        DataSource ds = require();
        return m.task() == ModelManifest.Task.ANOMALY
                ? ShadowEvidence.anomaly(ds, m.name(), m.version(), null)
                : ShadowEvidence.demand(ds, m.name(), m.version(), null);
    }

    /** PSI of one feature: live rows of the model (any version) in the window against this version's training bins. */
    public record FeatureDrift(String feature, long rows, double psi, List<Double> edges, List<Double> expected, List<Double> live) { }

    public List<FeatureDrift> drift(ModelManifest m) throws SQLException {
        DataSource ds = require();
        boolean anomaly = m.task() == ModelManifest.Task.ANOMALY;
        Map<String, String> columns = anomaly ? ORDER_FEATURES : DEMAND_FEATURES;
        String table = anomaly ? "scored_orders" : "demand_forecasts";
        List<FeatureDrift> out = new ArrayList<>();
        if (m.features() == null) {
            return out;
        }
        try (Connection c = ds.getConnection()) {
            for (ModelManifest.FeatureSpec f : m.features()) {
                String column = columns.get(f.name());
                if (column == null || f.histogram() == null || f.histogram().edges().size() < 2) {
                    continue;
                }
                double[] edges = f.histogram().edges().stream().mapToDouble(Double::doubleValue).toArray();
                int bins = edges.length - 1;
                long[] counts = new long[bins];
                // width_bucket: 0 below the first edge, i for [e_(i-1), e_i), bins+1 from the last edge: the end bins take
                // what lies outside, as ModelManifest.Histogram.binOf does
                String sql = "SELECT width_bucket(" + column + ", ?::float8[]) AS b, count(*) FROM " + table
                        + " WHERE model_name = ? AND trusted AND scored_at >= ? GROUP BY b";
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    st.setArray(1, c.createArrayOf("float8", f.histogram().edges().toArray()));
                    st.setString(2, m.name());
                    st.setTimestamp(3, Timestamp.from(Instant.now().minus(DRIFT_WINDOW)));
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            int b = rs.getInt(1);
                            counts[Math.max(0, Math.min(bins - 1, b - 1))] += rs.getLong(2);
                        }
                    }
                }
                long total = java.util.Arrays.stream(counts).sum();
                double[] expected = f.histogram().fractions().stream().mapToDouble(Double::doubleValue).toArray();
                List<Double> live = new ArrayList<>();
                for (long n : counts) {
                    live.add(total == 0 ? 0.0 : (double) n / total);
                }
                out.add(new FeatureDrift(f.name(), total, total == 0 ? Double.NaN : ModelManifest.Histogram.psi(expected, counts, total),
                        f.histogram().edges(), f.histogram().fractions(), live));
            }
        }
        return out;
    }

    /** One day: rows scored by the version that have feedback, and precision (anomaly) or MAE (demand) on them. */
    public record Day(LocalDate day, long labelled, double value) { }

    /** Precision (anomaly: of the version's flags, the share labelled anomalous) or MAE (demand) per day, oldest first. */
    public Rolling rolling(ModelManifest m, int days) throws SQLException {
        DataSource ds = require();
        int d = Math.max(1, Math.min(MAX_DAYS, days));
        boolean anomaly = m.task() == ModelManifest.Task.ANOMALY;
        String sql = anomaly
                ? "SELECT date_trunc('day', s.scored_at)::date, count(*) FILTER (WHERE s.is_anomaly), "
                  + "avg(CASE WHEN l.is_anomaly THEN 1.0 ELSE 0.0 END) FILTER (WHERE s.is_anomaly) "
                  + "FROM scored_orders s JOIN order_labels l ON l.prediction_id = s.prediction_id "
                  + "WHERE s.model_name = ? AND s.model_version = ? AND s.trusted AND s.scored_at >= ? GROUP BY 1 ORDER BY 1"
                : "SELECT date_trunc('day', f.scored_at)::date, count(*), avg(abs(f.predicted_demand - a.actual_demand)) "
                  + "FROM demand_forecasts f JOIN demand_actuals a ON a.product_id = f.product_id AND a.forecast_date = f.forecast_date "
                  + "WHERE f.model_name = ? AND f.model_version = ? AND f.trusted AND f.scored_at >= ? GROUP BY 1 ORDER BY 1";
        List<Day> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, m.name());
            st.setString(2, m.version());
            st.setTimestamp(3, Timestamp.from(Instant.now().minus(Duration.ofDays(d))));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    double v = rs.getDouble(3);
                    out.add(new Day(rs.getDate(1).toLocalDate(), rs.getLong(2), rs.wasNull() ? Double.NaN : v));
                }
            }
        }
        return new Rolling(anomaly ? "precision" : "mae", d, out);
    }

    public record Rolling(String metric, int days, List<Day> byDay) { }

    /** Everything at once, for the API; a failing part is reported by name, the others still shown. */
    public Map<String, Object> all(ModelManifest m, int days) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.name());
        out.put("version", m.version());
        if (!configured()) {
            out.put("unavailable", "no capture store configured (REGISTRY_CAPTURE_URL)");
            return out;
        }
        try {
            out.put("shadow", shadow(m));
            out.put("drift", drift(m));
            out.put("rolling", rolling(m, days));
        } catch (SQLException e) {
            out.put("unavailable", "the capture store did not answer: " + e.getMessage());
        }
        return out;
    }

    private DataSource require() throws SQLException {
        DataSource ds = dataSource.getIfAvailable();
        if (ds == null) {
            throw new SQLException("no capture store configured (REGISTRY_CAPTURE_URL)");
        }
        return ds;
    }
}
