package com.orderintel.bench;

import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.OrderRow;
import com.orderintel.training.TestData;
import com.orderintel.training.anomaly.AnomalyTraining;
import com.orderintel.training.anomaly.IsolationForestTrainer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * In-process batch anomaly scoring throughput (bench.sh): a 200-tree forest trained on the orders CSV scores
 * ROWS rows drawn from it with {@link IsolationForestModel#decisions(double[][])} (tree-major blocks, both cores).
 * Usage: BatchScoringBench ORDERS.csv [ROWS] [RUNS]; prints the median as 'rows_per_s=...'.
 */
public final class BatchScoringBench {

    private BatchScoringBench() {
    }

    public static void main(String[] args) {
        Path csv = Path.of(args[0]);
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        var data = Datasets.orders(csv);
        IsolationForestModel model = new AnomalyTraining().train(data, new IsolationForestTrainer.Options(200, 0.1, 42),
                TestData.provenance()).model();
        List<OrderRow> source = data.rows();
        SplittableRandom rnd = new SplittableRandom(1);
        double[][] x = new double[rows][];
        for (int i = 0; i < rows; i++) {
            x[i] = source.get(rnd.nextInt(source.size())).features();
        }
        double[] rates = new double[runs];
        double check = 0;
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            double[] d = model.decisions(x);
            rates[r] = rows / ((System.nanoTime() - start) / 1e9);
            check += d[r];
        }
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "rows_per_s=%.0f (runs %s, checksum %.3f)%n", rates[runs / 2],
                Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()), check);
    }
}
