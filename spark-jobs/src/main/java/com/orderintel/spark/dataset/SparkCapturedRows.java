package com.orderintel.spark.dataset;

import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.snapshot.CapturedRows;
import com.orderintel.snapshot.NoteRow;
import com.orderintel.snapshot.SnapshotManifest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

/**
 * The runner's capture rules ({@code CapturedData}'s SQL) as Spark plans over the capture tables: the first trusted
 * capture of an order is its training row, anonymous scorings never enter, imputed rows are left out, a product-day
 * takes its latest trusted forecast. Joins, windows and counts run on the executors; only the selected training rows
 * come back to the driver, where the runner's {@code SnapshotExport} checks and writes them as it does for PostgreSQL.
 */
public final class SparkCapturedRows implements CapturedRows {

    private final CaptureTables tables;
    private final String sourceName;

    /** {@code sourceName}: what the manifest records the rows were read from (no credentials). */
    public SparkCapturedRows(CaptureTables tables, String sourceName) {
        this.tables = tables;
        this.sourceName = sourceName;
    }

    private Dataset<Row> scorings() {
        return tables.table(CaptureTables.SCORED_ORDERS)
                .withColumn("key", coalesce(col("order_id"), col("prediction_id")))
                .withColumn("clean", size(col("imputed")).equalTo(0));
    }

    private Dataset<Row> labels() {
        return tables.table(CaptureTables.ORDER_LABELS).select(col("label_key"), col("is_anomaly").as("labelled_anomaly"));
    }

    private static Column inWindow(Instant since, Instant until) {
        return col("scored_at").geq(lit(since)).and(col("scored_at").lt(lit(until)));
    }

    private static Column onDays(Instant since, Instant until) {
        return col("forecast_date").geq(lit(LocalDate.ofInstant(since, ZoneOffset.UTC)))
                .and(col("forecast_date").lt(lit(LocalDate.ofInstant(until, ZoneOffset.UTC))));
    }

    @Override
    public List<OrderRow> orders(Instant since, Instant until) {
        // the first trusted capture of an order id, wherever it falls (a prediction without an order id is its own first)
        Dataset<Row> trusted = scorings().filter(col("trusted"));
        Column rank = when(col("order_id").isNull(), lit(1)).otherwise(row_number().over(
                Window.partitionBy(col("order_id")).orderBy(col("scored_at"), col("prediction_id"))));
        Dataset<Row> rows = trusted.withColumn("rank", rank)
                .filter(col("rank").equalTo(1).and(inWindow(since, until)).and(col("clean")))
                .join(labels(), col("label_key").equalTo(col("key")))
                .orderBy(col("scored_at"), col("prediction_id"))
                .select(col("key"), col("avg_processing_ms"), col("item_count"), col("payment_score"),
                        when(col("labelled_anomaly"), lit(1)).otherwise(lit(0)));
        return collect(rows, r -> new OrderRow(r.getString(0), r.getDouble(1), r.getDouble(2), r.getDouble(3), r.getInt(4)));
    }

    @Override
    public Counts orderCounts(Instant since, Instant until) {
        Row r = scorings().filter(inWindow(since, until)).agg(
                count(when(col("trusted"), lit(1))),
                count(when(col("trusted").and(col("clean").unary_$bang()), lit(1))),
                count(when(col("trusted").unary_$bang(), lit(1)))).first();
        return new Counts(r.getLong(0), r.getLong(1), r.getLong(2));
    }

    @Override
    public Conflicts orderConflicts(Instant since, Instant until) {
        Dataset<Row> s = scorings().filter(col("order_id").isNotNull());
        Dataset<Row> window = s.filter(col("trusted").and(inWindow(since, until))).select(col("order_id").as("w_order")).distinct();
        Dataset<Row> perOrder = s.join(labels(), col("label_key").equalTo(col("order_id")))
                .join(window, col("w_order").equalTo(col("order_id")), "left_semi")
                .groupBy(col("order_id").as("k"))
                .agg(count_distinct(when(col("trusted").and(col("clean")),
                                struct(col("avg_processing_ms"), col("item_count"), col("payment_score")))).as("variants"),
                        count(when(col("trusted").unary_$bang(), lit(1))).as("anonymous"));
        return conflicts(perOrder);
    }

    @Override
    public List<DemandRow> demand(Instant since, Instant until) {
        Dataset<Row> latest = tables.table(CaptureTables.DEMAND_FORECASTS).filter(col("trusted"))
                .withColumn("rank", row_number().over(Window.partitionBy(col("product_id"), col("forecast_date"))
                        .orderBy(col("scored_at").desc(), col("prediction_id").desc())))
                .filter(col("rank").equalTo(1))
                .select(col("product_id").as("f_product"), col("forecast_date").as("f_date"), col("avg_basket_value"),
                        col("promo_flag"));
        Dataset<Row> rows = tables.table(CaptureTables.DEMAND_ACTUALS).filter(onDays(since, until))
                .join(latest, col("f_product").equalTo(col("product_id")).and(col("f_date").equalTo(col("forecast_date"))))
                .orderBy(col("forecast_date"), col("product_id"))
                .select(col("forecast_date"), col("product_id"), col("avg_basket_value"), col("promo_flag").cast("int"),
                        col("actual_demand"));
        return collect(rows, r -> new DemandRow(r.getAs(0), r.getString(1), r.getDouble(2), r.getInt(3), r.getDouble(4)));
    }

    @Override
    public long demandDays(Instant since, Instant until) {
        return tables.table(CaptureTables.DEMAND_FORECASTS).filter(col("trusted").and(onDays(since, until)))
                .select(col("product_id"), col("forecast_date")).distinct().count();
    }

    @Override
    public Conflicts demandConflicts(Instant since, Instant until) {
        Dataset<Row> forecasts = tables.table(CaptureTables.DEMAND_FORECASTS).select(col("product_id").as("f_product"),
                col("forecast_date").as("f_date"), col("avg_basket_value"), col("promo_flag"), col("trusted"));
        Dataset<Row> perDay = tables.table(CaptureTables.DEMAND_ACTUALS).filter(onDays(since, until))
                .join(forecasts, col("f_product").equalTo(col("product_id")).and(col("f_date").equalTo(col("forecast_date"))))
                .groupBy(col("product_id"), col("forecast_date"))
                .agg(count_distinct(when(col("trusted"), struct(col("avg_basket_value"), col("promo_flag")))).as("variants"),
                        count(when(col("trusted").unary_$bang(), lit(1))).as("anonymous"))
                .withColumn("k", concat(col("product_id"), lit("@"), date_format(col("forecast_date"), "yyyy-MM-dd")));
        return conflicts(perDay);
    }

    private static Conflicts conflicts(Dataset<Row> perKey) {
        Row r = perKey.agg(count(when(col("variants").gt(1), lit(1))), min(when(col("variants").gt(1), col("k"))),
                count(when(col("anonymous").gt(0), lit(1)))).first();
        return new Conflicts(r.getLong(0), r.isNullAt(1) ? null : r.getString(1), r.getLong(2));
    }

    @Override
    public List<NoteRow> notes(Instant since, Instant until) {
        Dataset<Row> enrichments = tables.table(CaptureTables.NOTE_ENRICHMENTS).withColumnRenamed("prediction_id", "e_prediction");
        Dataset<Row> rows = scorings().filter(col("trusted").and(inWindow(since, until)).and(col("clean")))
                .select(col("key"), col("prediction_id"), col("scored_at"))
                .join(enrichments, col("e_prediction").equalTo(col("prediction_id")))
                .withColumn("rank", row_number().over(Window.partitionBy(col("key"))
                        .orderBy(col("scored_at"), col("prediction_id"))))
                .filter(col("rank").equalTo(1))
                .orderBy(col("scored_at"), col("prediction_id"))
                .select(col("key"), when(col("sentiment").equalTo("negative"), lit(-1))
                                .when(col("sentiment").equalTo("positive"), lit(1)).otherwise(lit(0)),
                        col("category"), col("feature_source"), col("model"), col("prompt_name"), col("prompt_version"),
                        col("prompt_sha256"));
        return collect(rows, r -> new NoteRow(r.getString(0), r.getInt(1), r.getString(2), r.getString(3), r.getString(4),
                r.getString(5), r.getString(6), r.getString(7)));
    }

    /**
     * Not the SQL the runner runs: the rule it implements, and where the rows were read. The manifest of a Spark-built
     * snapshot says so instead of claiming a query that never ran.
     */
    @Override
    public String query(String part) {
        String rule = switch (part) {
            case SnapshotManifest.ORDERS -> "first trusted capture of each labelled order in [since, until), no imputed feature";
            case SnapshotManifest.DEMAND -> "product-days with an actual in [since, until), features of the latest trusted forecast";
            default -> "note features of the first trusted, non-imputed scoring of each order in [since, until)";
        };
        return "spark-jobs build-dataset from " + sourceName + ": " + rule;
    }

    /** Streams the selected rows to the driver partition by partition (never the whole result in one task's memory). */
    private static <T> List<T> collect(Dataset<Row> rows, Function<Row, T> mapper) {
        List<T> out = new ArrayList<>();
        Iterator<Row> it = rows.toLocalIterator();
        while (it.hasNext()) {
            out.add(mapper.apply(it.next()));
        }
        return out;
    }
}
