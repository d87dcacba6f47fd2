package com.orderintel.bench;

import com.orderintel.training.TestData;

import com.orderintel.training.anomaly.AnomalyTraining;
import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.training.anomaly.IsolationForestTrainer;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.training.forecast.DemandTraining;
import com.orderintel.forecast.DecomposedGbtDemandModel;
import com.orderintel.training.forecast.XgbDemandTrainer;
import com.orderintel.training.Split;
import com.orderintel.training.TrainingProgress;
import com.orderintel.forecast.LinearDemandModel;
import com.orderintel.training.forecast.OlsDemandTrainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Single-record scoring of the serving forms, on models trained on 100k generated rows. Run with training-runner/bench.sh. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED"})
public class ScoringBenchmark {

    private IsolationForestModel anomaly;
    private LinearDemandModel demand;
    private DecomposedGbtDemandModel demandGbt;
    private OrderMetrics[] orders;
    private DemandQuery[] queries;
    private int i;
    private double[][] batch;
    private static final int BATCH = 65_536;

    @Setup
    public void setup() throws Exception {
        Path dir = Files.createTempDirectory("bench");
        Path o = dir.resolve("orders.csv");
        Path d = dir.resolve("demand.csv");
        DataGenerator.orders(o, 100_000, 0.05, 42);
        DataGenerator.demand(d, 100_000, 20, 42);
        anomaly = new AnomalyTraining().train(Datasets.orders(o), new IsolationForestTrainer.Options(200, 0.1, 42), TestData.provenance()).model();
        List<DemandRow> rows = Datasets.demand(d).rows();
        demand = new LinearDemandModel(null, new OlsDemandTrainer().fit(rows));
        demandGbt = (DecomposedGbtDemandModel) new DemandTraining().train(Datasets.demand(d), new XgbDemandTrainer(),
                XgbDemandTrainer.Options.defaults(42).asHyperParameters(), new DemandTraining.Settings(0.2, 42, Split.Kind.RANDOM),
                TrainingProgress.NONE, TestData.provenance()).model();
        orders = Datasets.orders(o).rows().stream().limit(1024).map(OrderMetrics::of).toArray(OrderMetrics[]::new);
        batch = Datasets.orders(o).rows().stream().limit(BATCH).map(r -> r.features()).toArray(double[][]::new);
        queries = rows.stream().limit(1024).map(r -> new DemandQuery(r.date(), r.productId(), r.avgBasketValue(), r.promoFlag()))
                .toArray(DemandQuery[]::new);
    }

    @Benchmark
    public Object anomalySingleRecord() {
        return anomaly.score(orders[i++ & 1023]);
    }

    /** Path-length attributions and training percentiles of one order: a second walk of all 200 trees, plus the words. */
    @Benchmark
    public Object anomalyExplainSingleRecord() {
        return anomaly.explain(orders[i++ & 1023]);
    }

    /** Tree-major blocked scoring of 65,536 rows on both cores; the figure is per row. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] anomalyBatchPerRow() {
        return anomaly.decisions(batch);
    }

    @Benchmark
    public double demandSingleRecord() {
        return demand.predict(queries[i++ & 1023]);
    }

    /** The XGBoost model (gbt-flat/v2): the flat trees, the product's level line and ratio features. */
    @Benchmark
    public double demandGbtSingleRecord() {
        return demandGbt.predict(queries[i++ & 1023]);
    }

    /** Tree-path contributions of the XGBoost model: the same walk, crediting each split's feature. */
    @Benchmark
    public Object demandGbtExplainSingleRecord() {
        return demandGbt.explain(queries[i++ & 1023]);
    }
}
