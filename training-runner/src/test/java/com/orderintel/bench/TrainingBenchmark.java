package com.orderintel.bench;

import com.orderintel.training.TestData;

import com.orderintel.training.anomaly.AnomalyTraining;
import com.orderintel.training.anomaly.IsolationForestTrainer;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.training.forecast.DemandTraining;
import com.orderintel.training.forecast.DemandTrainer;
import com.orderintel.training.forecast.XgbDemandTrainer;
import com.orderintel.training.Split;
import com.orderintel.training.TrainingProgress;

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
        double[] genDemandMs = new double[runs];
        double[] genOrdersMs = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            DataGenerator.demand(d, rows, 20, 42);
            genDemandMs[r] = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            DataGenerator.orders(o, rows, 0.05, 42);
            genOrdersMs[r] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf(Locale.ROOT, "generate    rows=%d demand median=%.0f ms, orders median=%.0f ms%n",
                rows, median(genDemandMs), median(genOrdersMs));
        Datasets.Loaded<DemandRow> demand = Datasets.demand(d);
        Datasets.Loaded<OrderRow> orders = Datasets.orders(o);

        double[] demandMs = new double[runs];
        double[] anomalyMs = new double[runs];
        DemandTraining.Result<?> dr = null;
        AnomalyTraining.Result ar = null;
        resetPeaks();
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            dr = new DemandTraining().train(demand, 0.2, 42, TestData.provenance());
            demandMs[r] = (System.nanoTime() - t0) / 1e6;
        }
        long demandPeak = peakHeap();
        resetPeaks();
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            ar = new AnomalyTraining().train(orders, new IsolationForestTrainer.Options(200, 0.1, 42), TestData.provenance());
            anomalyMs[r] = (System.nanoTime() - t0) / 1e6;
        }
        long anomalyPeak = peakHeap();
        double[] xgbMs = new double[runs];
        DemandTraining.Result<?> xr = null;
        DemandTrainer xgb = DemandTrainer.named(XgbDemandTrainer.NAME);
        resetPeaks();
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            xr = new DemandTraining().train(demand, xgb, xgb.hyperParameters(DemandTrainer.Flags.DEFAULTS),
                    new DemandTraining.Settings(0.2, 42, Split.Kind.RANDOM), TrainingProgress.NONE, TestData.provenance());
            xgbMs[r] = (System.nanoTime() - t0) / 1e6;
        }
        long xgbPeak = peakHeap();
        System.out.printf(Locale.ROOT, "demand OLS  rows=%d median=%.0f ms min=%.0f ms peak-heap=%d MiB mae=%.3f r2=%.4f%n",
                rows, median(demandMs), min(demandMs), demandPeak >> 20, dr.metrics().mae(), dr.metrics().r2());
        System.out.printf(Locale.ROOT, "anomaly IF  rows=%d median=%.0f ms min=%.0f ms peak-heap=%d MiB precision=%.3f recall=%.3f f1=%.3f%n",
                rows, median(anomalyMs), min(anomalyMs), anomalyPeak >> 20, ar.detection().precision(), ar.detection().recall(), ar.detection().f1());
        System.out.printf(Locale.ROOT, "demand XGB  rows=%d median=%.0f ms min=%.0f ms peak-heap=%d MiB mae=%.3f rmse=%.3f r2=%.4f%n",
                rows, median(xgbMs), min(xgbMs), xgbPeak >> 20, xr.metrics().mae(), xr.metrics().rmse(), xr.metrics().r2());
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
