package com.orderintel.spark.dataset;

import com.orderintel.dataset.DataException;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The capture store's tables as Spark reads them: through partitioned JDBC reads of the service's PostgreSQL (each
 * table split on its time column between the window's bounds; rows outside the bounds still land in the first and
 * last partitions, so nothing is missed), or from a Parquet copy ({@code DIR/<table>/}, the same columns).
 */
public sealed interface CaptureTables {

    String SCORED_ORDERS = "scored_orders";
    String ORDER_LABELS = "order_labels";
    String DEMAND_FORECASTS = "demand_forecasts";
    String DEMAND_ACTUALS = "demand_actuals";
    String NOTE_ENRICHMENTS = "order_note_enrichments";

    /** The time column each table is split on in a partitioned JDBC read (timestamp or date: Spark splits both). */
    Map<String, String> PARTITION_COLUMNS = Map.of(SCORED_ORDERS, "scored_at", ORDER_LABELS, "received_at",
            DEMAND_FORECASTS, "forecast_date", DEMAND_ACTUALS, "forecast_date", NOTE_ENRICHMENTS, "enriched_at");

    Dataset<Row> table(String name);

    /** Partitioned JDBC reads; {@code lower}/{@code upper}: the split range (the window, by default). */
    record Jdbc(SparkSession spark, String url, String user, String password, int partitions, Instant lower, Instant upper)
            implements CaptureTables {
        public Jdbc {
            if (url == null || !url.startsWith("jdbc:postgresql:")) {
                throw new DataException("--jdbc-url must be a jdbc:postgresql: URL (the capture store)");
            }
            if (partitions < 1 || partitions > 10_000) {
                throw new DataException("--partitions must be between 1 and 10000, got " + partitions);
            }
            if (!lower.isBefore(upper)) {
                throw new DataException("--lower-bound " + lower + " must be before --upper-bound " + upper);
            }
        }

        @Override
        public Dataset<Row> table(String name) {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password == null ? "" : password);
            p.setProperty("driver", "org.postgresql.Driver");
            p.setProperty("fetchsize", "10000");
            String column = PARTITION_COLUMNS.get(name);
            boolean date = column.equals("forecast_date");
            DataFrameReader r = spark.read().option("partitionColumn", column).option("numPartitions", partitions)
                    .option("lowerBound", date ? LocalDate.ofInstant(lower, ZoneOffset.UTC).toString() : lower.toString())
                    .option("upperBound", date ? LocalDate.ofInstant(upper, ZoneOffset.UTC).toString() : upper.toString());
            return r.jdbc(url, name, p);
        }
    }

    /** A Parquet copy: one directory per table under {@code root} (local path, file:// or s3a://). */
    record Parquet(SparkSession spark, String root) implements CaptureTables {
        @Override
        public Dataset<Row> table(String name) {
            String dir = root.endsWith("/") ? root + name : root + "/" + name;
            Dataset<Row> t = spark.read().parquet(dir);
            List<String> missing = required(name).stream().filter(c -> !List.of(t.columns()).contains(c)).toList();
            if (!missing.isEmpty()) {
                throw new DataException(dir + ": the Parquet copy of " + name + " lacks column(s) " + missing);
            }
            return t;
        }

        private static List<String> required(String table) {
            return switch (table) {
                case SCORED_ORDERS -> List.of("prediction_id", "order_id", "avg_processing_ms", "item_count", "payment_score",
                        "imputed", "scored_at", "trusted");
                case ORDER_LABELS -> List.of("label_key", "is_anomaly");
                case DEMAND_FORECASTS -> List.of("prediction_id", "product_id", "forecast_date", "avg_basket_value",
                        "promo_flag", "scored_at", "trusted");
                case DEMAND_ACTUALS -> List.of("product_id", "forecast_date", "actual_demand");
                default -> List.of("prediction_id", "sentiment", "category", "feature_source", "model", "prompt_name",
                        "prompt_version", "prompt_sha256");
            };
        }
    }
}
