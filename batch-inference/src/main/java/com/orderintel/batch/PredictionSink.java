package com.orderintel.batch;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.CsvRows;
import com.orderintel.dataset.Identifiers;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ServableModel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Per task: which input columns it reads, how it scores one row into a COPY line, and the staging, insert and
 * upsert SQL for its table. Upserts keep the last row of a key within a chunk (DISTINCT ON ... ORDER BY line DESC),
 * since ON CONFLICT may not touch one row twice. The plain insert is the fast path for a chunk whose keys are new
 * (no sort, no speculative insertion); it fails with a unique violation otherwise and the caller falls back.
 */
abstract sealed class PredictionSink permits PredictionSink.Anomalies, PredictionSink.Forecasts {

    final ModelManifest manifest;
    /** The chunk's staging table: its columns give the COPY text, the COPY statement and the DDL. */
    private final CopyTable<?> stage;

    PredictionSink(ModelManifest manifest, CopyTable<?> stage) {
        this.manifest = manifest;
        this.stage = stage;
    }

    static PredictionSink of(ServableModel model) {
        return switch (model) {
            case AnomalyDetector a -> new Anomalies(a);
            case DemandForecaster d -> new Forecasts(d);
            default -> throw new IllegalArgumentException("model " + model.manifest().name() + " cannot run in a batch");
        };
    }

    abstract String task();

    abstract List<String> columns();

    /** Parses and validates one input row; a bad row throws a DataException naming line and column. */
    abstract Object parse(CsvRows.Row row);

    /** Scores a chunk of parsed rows with {@code scorer} into COPY text (tab-separated lines, line number first), UTF-8. */
    final byte[] score(List<Object> parsed, List<Long> lines, ChunkScorer scorer) {
        return copyText(stage, scoreRows(parsed, lines, scorer));
    }

    /** Scores a chunk of parsed rows with {@code scorer}: one staged row per parsed row, in order. */
    abstract List<?> scoreRows(List<Object> parsed, List<Long> lines, ChunkScorer scorer);

    /** The staging table's columns: line number, the input's key and features, the prediction. */
    final List<? extends CopyTable.Column<?>> stagedColumns() {
        return stage.columns();
    }

    /** A staged row's values in column order. */
    final Object[] values(Object staged) {
        return valuesOf(stage, staged);
    }

    @SuppressWarnings("unchecked")
    private static <S> Object[] valuesOf(CopyTable<S> table, Object staged) {
        List<CopyTable.Column<S>> cols = table.columns();
        Object[] out = new Object[cols.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cols.get(i).value((S) staged);
        }
        return out;
    }

    final String stagingDdl() {
        return stage.tempTableDdl();
    }

    final String copySql() {
        return stage.copySql();
    }

    /** The staged rows as COPY text, UTF-8. */
    @SuppressWarnings("unchecked")
    static <S> byte[] copyText(CopyTable<S> table, List<?> rows) {
        StringBuilder copy = new StringBuilder(96 * rows.size());
        for (Object row : rows) {
            table.append(copy, (S) row);
        }
        return copy.toString().getBytes(StandardCharsets.UTF_8);
    }

    abstract String upsertSql();

    /** Like {@link #upsertSql()} without DISTINCT ON and ON CONFLICT: only right when no key of the chunk exists yet. */
    abstract String insertSql();

    static final class Anomalies extends PredictionSink {
        /** A scored input row, as staged. */
        private record Staged(long line, OrderRow o, AnomalyResult r) { }

        private static final CopyTable<Staged> STAGE = CopyTable.of("stage_anomalies",
                CopyTable.int8("line", Staged::line),
                CopyTable.text("order_id", s -> s.o().orderId()),
                CopyTable.float8("avg_processing_ms", s -> s.o().avgProcessingMs()),
                CopyTable.float8("item_count", s -> s.o().itemCount()),
                CopyTable.float8("payment_score", s -> s.o().paymentScore()),
                CopyTable.bool("is_anomaly", s -> s.r().anomalous()),
                CopyTable.float8("anomaly_score", s -> s.r().score()),
                CopyTable.float8("approx_probability", s -> s.r().approxProbability()));

        private final AnomalyDetector model;

        Anomalies(AnomalyDetector model) {
            super(model.manifest(), STAGE);
            this.model = model;
        }

        @Override
        String task() {
            return "anomaly";
        }

        @Override
        List<String> columns() {
            return OrderRow.COLUMNS;
        }

        @Override
        Object parse(CsvRows.Row row) {
            OrderRow o = OrderRow.of(row);
            String bad = Identifiers.problem(o.orderId()); // the platform's key rule, as on every other entry point
            if (bad != null) {
                throw row.error("order_id", bad);
            }
            return o;
        }

        @Override
        List<Staged> scoreRows(List<Object> parsed, List<Long> lines, ChunkScorer scorer) {
            List<OrderMetrics> orders = new ArrayList<>(parsed.size());
            for (Object o : parsed) {
                orders.add(OrderMetrics.of((OrderRow) o));
            }
            List<AnomalyResult> results = scorer.scoreOrders(model, orders);
            List<Staged> staged = new ArrayList<>(parsed.size());
            for (int i = 0; i < parsed.size(); i++) {
                staged.add(new Staged(lines.get(i), (OrderRow) parsed.get(i), results.get(i)));
            }
            return staged;
        }

        @Override
        String insertSql() {
            return "INSERT INTO order_anomalies (run_id, order_id, avg_processing_ms, item_count, payment_score, is_anomaly, "
                    + "anomaly_score, approx_probability, model_name, model_version, model_commit) "
                    + "SELECT ?, order_id, avg_processing_ms, item_count, payment_score, is_anomaly, anomaly_score, "
                    + "approx_probability, ?, ?, ? FROM stage_anomalies";
        }

        @Override
        String upsertSql() {
            return "INSERT INTO order_anomalies (run_id, order_id, avg_processing_ms, item_count, payment_score, is_anomaly, "
                    + "anomaly_score, approx_probability, model_name, model_version, model_commit) "
                    + "SELECT DISTINCT ON (order_id) ?, order_id, avg_processing_ms, item_count, payment_score, is_anomaly, "
                    + "anomaly_score, approx_probability, ?, ?, ? FROM stage_anomalies ORDER BY order_id, line DESC "
                    + "ON CONFLICT (run_id, order_id) DO UPDATE SET avg_processing_ms = EXCLUDED.avg_processing_ms, "
                    + "item_count = EXCLUDED.item_count, payment_score = EXCLUDED.payment_score, is_anomaly = EXCLUDED.is_anomaly, "
                    + "anomaly_score = EXCLUDED.anomaly_score, approx_probability = EXCLUDED.approx_probability, "
                    + "model_name = EXCLUDED.model_name, model_version = EXCLUDED.model_version, "
                    + "model_commit = EXCLUDED.model_commit, scored_at = now()";
        }
    }

    static final class Forecasts extends PredictionSink {
        static final List<String> COLUMNS = List.of("date", "product_id", "avg_basket_value", "promo_flag");

        /** A forecast input row, as staged. */
        private record Staged(long line, DemandQuery q, double predicted) { }

        private static final CopyTable<Staged> STAGE = CopyTable.of("stage_forecasts",
                CopyTable.int8("line", Staged::line),
                CopyTable.text("product_id", s -> s.q().productId()),
                CopyTable.date("forecast_date", s -> s.q().date()),
                CopyTable.float8("avg_basket_value", s -> s.q().avgBasketValue()),
                CopyTable.int2("promo_flag", s -> s.q().promoFlag()),
                CopyTable.float8("predicted_demand", Staged::predicted));
        private final DemandForecaster model;

        Forecasts(DemandForecaster model) {
            super(model.manifest(), STAGE);
            this.model = model;
        }

        @Override
        String task() {
            return "demand";
        }

        @Override
        List<String> columns() {
            return COLUMNS;
        }

        @Override
        Object parse(CsvRows.Row row) {
            double basket = row.amount("avg_basket_value");
            DemandQuery q = new DemandQuery(row.date("date"), row.text("product_id"), basket, row.flag("promo_flag"));
            String bad = Identifiers.problem(q.productId());
            if (bad != null) {
                throw row.error("product_id", bad);
            }
            if (!model.products().isEmpty() && !model.products().contains(q.productId())) {
                throw row.error("product_id", "unknown product '" + q.productId() + "': the model was not trained on it");
            }
            return q;
        }

        @Override
        List<Staged> scoreRows(List<Object> parsed, List<Long> lines, ChunkScorer scorer) {
            List<DemandQuery> queries = new ArrayList<>(parsed.size());
            for (Object q : parsed) {
                queries.add((DemandQuery) q);
            }
            double[] predicted = scorer.forecast(model, queries);
            List<Staged> staged = new ArrayList<>(queries.size());
            for (int i = 0; i < queries.size(); i++) {
                staged.add(new Staged(lines.get(i), queries.get(i), predicted[i]));
            }
            return staged;
        }

        @Override
        String insertSql() {
            return "INSERT INTO order_forecasts (run_id, product_id, forecast_date, avg_basket_value, promo_flag, predicted_demand, "
                    + "model_name, model_version, model_commit) "
                    + "SELECT ?, product_id, forecast_date, avg_basket_value, promo_flag, predicted_demand, ?, ?, ? FROM stage_forecasts";
        }

        @Override
        String upsertSql() {
            return "INSERT INTO order_forecasts (run_id, product_id, forecast_date, avg_basket_value, promo_flag, predicted_demand, "
                    + "model_name, model_version, model_commit) "
                    + "SELECT DISTINCT ON (product_id, forecast_date) ?, product_id, forecast_date, avg_basket_value, promo_flag, "
                    + "predicted_demand, ?, ?, ? FROM stage_forecasts ORDER BY product_id, forecast_date, line DESC "
                    + "ON CONFLICT (run_id, product_id, forecast_date) DO UPDATE SET avg_basket_value = EXCLUDED.avg_basket_value, "
                    + "promo_flag = EXCLUDED.promo_flag, predicted_demand = EXCLUDED.predicted_demand, "
                    + "model_name = EXCLUDED.model_name, model_version = EXCLUDED.model_version, "
                    + "model_commit = EXCLUDED.model_commit, scored_at = now()";
        }
    }
}
