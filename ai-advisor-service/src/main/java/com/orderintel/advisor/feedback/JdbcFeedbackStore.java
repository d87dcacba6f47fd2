package com.orderintel.advisor.feedback;

import com.orderintel.advisor.web.ConflictException;
import com.orderintel.advisor.web.NotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Feedback in the shared PostgreSQL store: any replica accepts feedback for any captured prediction (or for an
 * order id / product and day directly), and rolling accuracy is computed from the store with one query per
 * model, so every replica reports the same values. A prediction made a moment ago may not be captured yet (capture
 * is asynchronous): then this replica's {@link PredictionLog} vouches for it.
 */
final class JdbcFeedbackStore implements FeedbackStore {

    private final JdbcTemplate jdbc;
    private final PredictionLog local;
    private final int window;
    private final Map<String, Accuracy> cache = new ConcurrentHashMap<>();

    JdbcFeedbackStore(DataSource dataSource, PredictionLog local, int window) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.local = local;
        this.window = window;
    }

    private record Known(String predictionId, String key, String model, String version, boolean trusted) { }

    /**
     * A label by order id belongs to the order's training row, its FIRST trusted capture (an order event, a batch run
     * or an authenticated caller; docs/mlops-loop.md); an order no trusted source scored gets a 404 naming it and
     * nothing is stored, so a later legitimate label is not blocked. A label by prediction id must name a trusted
     * scoring (422 otherwise).
     */
    @Override
    public Recorded label(String predictionId, String orderId, boolean anomalous) {
        Known k = predictionId != null ? trusted(knownOrder(predictionId))
                : first("SELECT prediction_id, order_id, model_name, model_version, trusted FROM scored_orders "
                        + "WHERE order_id = ? AND trusted ORDER BY scored_at, prediction_id LIMIT 1", orderId)
                .orElseThrow(() -> new NotFoundException("order '" + orderId + "' was not scored by a trusted source (order "
                        + "events, batch runs or an authenticated caller); its label is refused (retry once it is scored)"));
        String labelKey = k.key() != null ? k.key() : k.predictionId();
        int inserted = jdbc.update("INSERT INTO order_labels (label_key, order_id, prediction_id, is_anomaly) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (label_key) DO NOTHING", labelKey, k.key(), k.predictionId(), anomalous);
        if (inserted == 0) {
            throw new ConflictException("order " + labelKey + " already has its label; feedback counts once");
        }
        return new Recorded(k.predictionId(), k.model(), k.version());
    }

    /**
     * As {@link #label}, except that an actual by product and day belongs to the LATEST trusted forecast of that day
     * (a product-day is forecast again as its features firm up; the export takes the same one).
     */
    @Override
    public Recorded actual(String predictionId, String productId, LocalDate date, double demand) {
        Known k = predictionId != null ? trusted(knownForecast(predictionId))
                : first("SELECT prediction_id, product_id || '|' || forecast_date, model_name, model_version, trusted "
                        + "FROM demand_forecasts WHERE product_id = ? AND forecast_date = ? AND trusted "
                        + "ORDER BY scored_at DESC, prediction_id DESC LIMIT 1", productId, Date.valueOf(date))
                .orElseThrow(() -> new NotFoundException("product '" + productId + "' on " + date + " was not forecast by a "
                        + "trusted source (order events, batch runs or an authenticated caller); its actual demand is "
                        + "refused (retry once it is forecast)"));
        String[] productDay = k.key().split("\\|", 2);
        int inserted = jdbc.update("INSERT INTO demand_actuals (product_id, forecast_date, actual_demand, prediction_id) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (product_id, forecast_date) DO NOTHING",
                productDay[0], Date.valueOf(LocalDate.parse(productDay[1])), demand, k.predictionId());
        if (inserted == 0) {
            throw new ConflictException("product " + productDay[0] + " on " + productDay[1] + " already has its actual demand; "
                    + "feedback counts once");
        }
        return new Recorded(k.predictionId(), k.model(), k.version());
    }

    private static Known trusted(Known k) {
        if (!k.trusted()) {
            throw new UntrustedPredictionException("prediction_id '" + k.predictionId() + "' was made for an anonymous "
                    + "caller; only scorings by a trusted source (order events, batch runs or an authenticated caller) take "
                    + "feedback");
        }
        return k;
    }

    private Known knownOrder(String predictionId) {
        return first("SELECT prediction_id, order_id, model_name, model_version, trusted FROM scored_orders WHERE prediction_id = ?",
                predictionId).orElseGet(() -> fromLocal(predictionId, PredictionLog.Kind.ANOMALY));
    }

    private Known knownForecast(String predictionId) {
        return first("SELECT prediction_id, product_id || '|' || forecast_date, model_name, model_version, trusted "
                + "FROM demand_forecasts WHERE prediction_id = ?", predictionId).orElseGet(() -> fromLocal(predictionId, PredictionLog.Kind.DEMAND));
    }

    /** Not captured (yet): this replica may have made it a moment ago. */
    private Known fromLocal(String predictionId, PredictionLog.Kind kind) {
        PredictionLog.Prediction p = local.find(predictionId);
        if (p == null || p.kind() != kind) {
            throw new NotFoundException("prediction_id '" + predictionId + "' is not a known "
                    + kind.name().toLowerCase(java.util.Locale.ROOT) + " prediction");
        }
        return new Known(predictionId, p.key(), p.model(), p.version(), p.trusted());
    }

    private java.util.Optional<Known> first(String sql, Object... args) {
        List<Known> rows = jdbc.query(sql, (rs, i) -> new Known(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getBoolean(5)), args);
        return rows.stream().findFirst();
    }

    @Override
    public Accuracy accuracy(String model) {
        return cache.getOrDefault(model, Accuracy.NONE);
    }

    /**
     * Recomputes a model's rolling accuracy from the store (the last {@code window} labels and actuals that match one
     * of its captured predictions) and caches it for the gauges; called on a schedule and after each feedback.
     */
    Accuracy refresh(String model) {
        Map<String, Object> c = jdbc.queryForMap("SELECT count(*) FILTER (WHERE flagged AND labelled) AS tp, "
                + "count(*) FILTER (WHERE flagged AND NOT labelled) AS fp, count(*) FILTER (WHERE NOT flagged AND labelled) AS fn, "
                + "count(*) AS n FROM (SELECT s.is_anomaly AS flagged, l.is_anomaly AS labelled FROM order_labels l "
                + "JOIN scored_orders s ON s.prediction_id = l.prediction_id WHERE s.model_name = ? AND s.trusted "
                + "ORDER BY l.received_at DESC LIMIT ?) AS w", model, window);
        Map<String, Object> r = jdbc.queryForMap("SELECT avg(err) AS mae, count(*) AS n FROM (SELECT "
                + "abs(f.predicted_demand - a.actual_demand) AS err FROM demand_actuals a JOIN demand_forecasts f "
                + "ON f.prediction_id = a.prediction_id WHERE f.model_name = ? AND f.trusted ORDER BY a.received_at DESC LIMIT ?) AS w",
                model, window);
        long tp = ((Number) c.get("tp")).longValue();
        long fp = ((Number) c.get("fp")).longValue();
        long fn = ((Number) c.get("fn")).longValue();
        Number mae = (Number) r.get("mae");
        Accuracy a = new Accuracy(tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp),
                tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn), ((Number) c.get("n")).longValue(),
                mae == null ? Double.NaN : mae.doubleValue(), ((Number) r.get("n")).longValue());
        cache.put(model, a);
        return a;
    }
}
