package com.orderintel.bench;

import com.orderintel.anomaly.AnomalyTraining;
import com.orderintel.anomaly.IsolationForestTrainer;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandTraining;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Training time (median of N runs, data already parsed) and peak heap of the full pipelines on generated 100k-row
 * sets. A plain main rather than JMH: one training run is seconds long and we want peak memory too.
 * Usage: TrainingBenchmark [rows] [runs]
 */
public final class TrainingBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("train-bench");
        Path d = dir.resolve("demand.csv");
        Path o = dir.resolve("orders.csv");
        DataGenerator.demand(d, rows, 20, 42);
        DataGenerator.orders(o, rows, 0.05, 42);
        Datasets.Loaded<DemandRow> demand = Datasets.demand(d);
        Datasets.Loaded<OrderRow> orders = Datasets.orders(o);

        double[] demandMs = new double[runs];
        double[] anomalyMs = new double[runs];
        DemandTraining.Result dr = null;
        AnomalyTraining.Result ar = null;
        resetPeaks();
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            dr = new DemandTraining().train(demand, 0.2, 42);
            demandMs[r] = (System.nanoTime() - t0) / 1e6;
        }
        long demandPeak = peakHeap();
        resetPeaks();
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            ar = new AnomalyTraining().train(orders, new IsolationForestTrainer.Options(200, 0.1, 42));
            anomalyMs[r] = (System.nanoTime() - t0) / 1e6;
        }
        long anomalyPeak = peakHeap();
        System.out.printf(Locale.ROOT, "demand OLS  rows=%d median=%.0f ms min=%.0f ms peak-heap=%d MiB mae=%.3f r2=%.4f%n",
                rows, median(demandMs), min(demandMs), demandPeak >> 20, dr.metrics().mae(), dr.metrics().r2());
        System.out.printf(Locale.ROOT, "anomaly IF  rows=%d median=%.0f ms min=%.0f ms peak-heap=%d MiB precision=%.3f recall=%.3f f1=%.3f%n",
                rows, median(anomalyMs), min(anomalyMs), anomalyPeak >> 20, ar.metrics().precision(), ar.metrics().recall(), ar.metrics().f1());
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
