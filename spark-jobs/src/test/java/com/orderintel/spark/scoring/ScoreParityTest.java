package com.orderintel.spark.scoring;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.CsvRows;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.registry.ModelLoader;
import com.orderintel.spark.LocalSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spark's scores equal the in-process scores for the same rows, to the last bit: the executors run the same model
 * classes on the same doubles (the CSV text is parsed by the same parser on both sides, Parquet output keeps the
 * doubles' bits, CSV output prints them with Java's shortest round-trip form).
 */
class ScoreParityTest {

    static SparkSession spark;
    @TempDir
    static Path work;
    static String anomalyUri;
    static String demandUri;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.session();
        anomalyUri = LocalSpark.publish(work.resolve("registry"), "anomaly-v1");
        demandUri = LocalSpark.publish(work.resolve("registry"), "demand-v1");
    }

    @Test
    void hundredThousandOrdersScoreBitForBitAsInProcess() {
        Path orders = work.resolve("orders.csv");
        DataGenerator.orders(orders, 100_000, 0.02, 20261207L);
        Path out = work.resolve("scored-orders");
        ScoreJob.Summary s = new ScoreJob(spark).run(new ScoreJob.Options(anomalyUri, orders.toString(), null, out.toString(),
                ScoreJob.Format.PARQUET, "parity", 10_000));
        assertThat(s.scored()).isEqualTo(100_000);
        assertThat(s.rejected()).isZero();

        AnomalyDetector model = (AnomalyDetector) ModelLoader.load(anomalyUri);
        Map<String, AnomalyResult> expected = new HashMap<>();
        CsvRows.forEach(orders, OrderRow.COLUMNS, r -> {
            OrderRow o = OrderRow.of(r);
            expected.put(o.orderId(), model.score(OrderMetrics.of(o)));
        });

        List<Row> rows = spark.read().parquet(out.toString())
                .filter(col(PredictionSchema.OUTCOME).equalTo(PredictionSchema.SCORED))
                .select("order_id", "anomaly_score", "approx_probability", "is_anomaly", "model_name", "model_version", "run_id",
                        PredictionSchema.SCORED_DATE)
                .collectAsList();
        assertThat(rows).hasSize(100_000);
        int differing = 0;
        for (Row r : rows) {
            AnomalyResult e = expected.get(r.getString(0));
            boolean same = e != null && Double.doubleToRawLongBits(e.score()) == Double.doubleToRawLongBits(r.getDouble(1))
                    && Double.doubleToRawLongBits(e.approxProbability()) == Double.doubleToRawLongBits(r.getDouble(2))
                    && e.anomalous() == r.getBoolean(3);
            differing += same ? 0 : 1;
        }
        assertThat(differing).as("rows whose Spark score differs from the in-process score").isZero();
        Row first = rows.getFirst();
        assertThat(List.of(first.getString(4), first.getString(5), first.getString(6))).containsExactly("order-anomaly", "v1", "parity");
        assertThat(first.<LocalDate>getAs(7)).isNotNull();
        assertThat(Files.exists(out.resolve("outcome=scored").resolve("scored_date=" + first.<LocalDate>getAs(7)))).isTrue();
    }

    @Test
    void demandRowsScoreBitForBitAsInProcessAndCsvOutputKeepsTheBits() {
        Path demand = work.resolve("demand.csv");
        DataGenerator.demand(demand, 20_000, 3, 7L);
        Path out = work.resolve("scored-demand");
        ScoreJob.Summary s = new ScoreJob(spark).run(new ScoreJob.Options(demandUri, demand.toString(), null, out.toString(),
                ScoreJob.Format.CSV, "parity-demand", 5_000));

        DemandForecaster model = (DemandForecaster) ModelLoader.load(demandUri);
        List<DemandQuery> queries = new ArrayList<>();
        CsvRows.forEach(demand, List.of("date", "product_id", "avg_basket_value", "promo_flag"), r -> queries.add(
                new DemandQuery(r.date("date"), r.text("product_id"), r.amount("avg_basket_value"), r.flag("promo_flag"))));
        double[] predicted = model.predictBatch(queries);
        Map<String, Double> expected = new HashMap<>();
        for (int i = 0; i < queries.size(); i++) {
            expected.put(queries.get(i).productId() + "@" + queries.get(i).date(), predicted[i]);
        }
        assertThat(s.scored()).isEqualTo(expected.size());

        List<Row> rows = spark.read().option("header", "true").csv(out.resolve("outcome=scored").toString())
                .select("product_id", "forecast_date", "predicted_demand").collectAsList();
        assertThat(rows).hasSize(expected.size());
        int differing = 0;
        for (Row r : rows) {
            Double e = expected.get(r.getString(0) + "@" + r.getString(1));
            differing += e != null && Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(Double.parseDouble(r.getString(2))) ? 0 : 1;
        }
        assertThat(differing).as("forecasts whose Spark value differs from the in-process one").isZero();
    }
}
