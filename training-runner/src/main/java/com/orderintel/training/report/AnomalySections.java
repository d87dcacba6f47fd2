package com.orderintel.training.report;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.OrderRow;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The anomaly model's plots: score distribution against the threshold, and precision/recall against contamination. */
final class AnomalySections {

    /**
     * Rows scored per label class (or in all, without labels): scoring is ~10 µs a row, so this keeps the
     * report near 20 ms at any data size. Sampling per class keeps enough of the rare anomalies for the
     * precision/recall curve; each class is then weighted back to its share of the data.
     */
    static final int SCORED_PER_CLASS = 1_000;

    private AnomalySections() {
    }

    /** The sections that need the model: score distribution and, with labels, precision and recall. */
    static List<TrainingReport.Section> scored(AnomalyDetector model, double contamination, List<OrderRow> rows, String rowsDescription) {
        boolean labelled = rows.stream().allMatch(r -> r.label() != null);
        int[] idx;
        double[] classWeight = {1, 1};
        if (labelled) {
            int[][] byClass = {indicesWithLabel(rows, 0), indicesWithLabel(rows, 1)};
            int[] normal = pick(byClass[0], Sample.indices(byClass[0].length, SCORED_PER_CLASS, 42));
            int[] anomalous = pick(byClass[1], Sample.indices(byClass[1].length, SCORED_PER_CLASS, 43));
            classWeight[0] = normal.length == 0 ? 0 : byClass[0].length / (double) normal.length;
            classWeight[1] = anomalous.length == 0 ? 0 : byClass[1].length / (double) anomalous.length;
            idx = java.util.stream.IntStream.concat(Arrays.stream(normal), Arrays.stream(anomalous)).toArray();
        } else {
            idx = Sample.indices(rows.size(), 2 * SCORED_PER_CLASS, 42);
        }
        double[] scores = new double[idx.length];
        int[] labels = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            OrderRow r = rows.get(idx[i]);
            scores[i] = model.score(OrderMetrics.of(r)).score();
            labels[i] = r.label() == null ? -1 : r.label();
        }
        String sampleNote = idx.length < rows.size()
                ? String.format(Locale.ROOT, "a seeded sample of %,d of the %,d %s%s", idx.length, rows.size(), rowsDescription,
                labelled ? " (up to " + String.format(Locale.ROOT, "%,d", SCORED_PER_CLASS) + " per label, weighted back to the data's mix)" : "")
                : String.format(Locale.ROOT, "all %,d %s", rows.size(), rowsDescription);
        List<TrainingReport.Section> sections = new ArrayList<>();
        sections.add(new TrainingReport.Section("Score distribution",
                "Decision-function score of " + sampleNote + " (negative = anomalous). The dashed line is the threshold: "
                        + "the model flags the " + pct(contamination) + " lowest-scoring training rows (contamination). "
                        + (labelled ? "Bars are split by the data's label; each class sums to 100 %, so the rare anomalies stay visible. "
                        + "Good separation: the orange bars sit left of the line, the blue ones right of it."
                        : "The data has no labels, so anomalies cannot be told apart here."),
                List.of(() -> scoreHistogram(scores, labels, labelled, contamination)), null));
        if (labelled) {
            sections.add(new TrainingReport.Section("Precision and recall against contamination",
                    "What the model would give with another --contamination: the threshold at that share of the lowest "
                            + "scores, precision and recall against the labels (" + sampleNote + "). Set contamination "
                            + "near the labelled anomaly rate for the best F1.",
                    List.of(() -> precisionRecall(scores, labels, classWeight, contamination)), null));
        }
        return sections;
    }

    /** The section that needs only the data: one histogram per model input. */
    static TrainingReport.Section histograms(List<OrderRow> rows, String rowsDescription) {
        int[] h = Sample.indices(rows.size(), Charts.HISTOGRAM_SAMPLE, 11);
        double[][] x = new double[h.length][];
        for (int i = 0; i < h.length; i++) {
            x[i] = rows.get(h[i]).features();
        }
        List<Supplier<String>> histograms = new ArrayList<>();
        for (int f = 0; f < OrderMetrics.FEATURES.size(); f++) {
            String name = OrderMetrics.FEATURES.get(f);
            double[] column = Charts.column(x, f);
            histograms.add(() -> Charts.histogram(name, name, column, 40));
        }
        return new TrainingReport.Section("Feature histograms",
                Charts.histogramNote(h.length, rows.size(), rowsDescription) + " One chart per model input.", histograms, null);
    }

    private static String scoreHistogram(double[] scores, int[] labels, boolean labelled, double contamination) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double lo = Math.min(sorted[0], -0.02);
        double hi = sorted[sorted.length - 1];
        HistogramDataset ds = new HistogramDataset();
        ds.setType(labelled ? HistogramType.RELATIVE_FREQUENCY : HistogramType.FREQUENCY);
        if (labelled) {
            double[] normal = filter(scores, labels, 0);
            double[] anomalous = filter(scores, labels, 1);
            if (normal.length > 0) {
                ds.addSeries(String.format(Locale.ROOT, "label 0 (normal, %,d rows)", normal.length), normal, 60, lo, hi);
            }
            if (anomalous.length > 0) {
                ds.addSeries(String.format(Locale.ROOT, "label 1 (anomaly, %,d rows)", anomalous.length), anomalous, 60, lo, hi);
            }
        } else {
            ds.addSeries("all rows", scores, 60, lo, hi);
        }
        JFreeChart chart = ChartFactory.createHistogram(null, "decision score (negative = anomalous)",
                labelled ? "share of the class's rows" : "rows", ds, PlotOrientation.VERTICAL, true, false, false);
        Charts.style(chart);
        XYPlot plot = chart.getXYPlot();
        if (labelled && ds.getSeriesCount() == 1 && ds.getSeriesKey(0).toString().startsWith("label 1")) {
            Charts.flatBars(plot, 0.65f, Charts.ORANGE);
        } else {
            Charts.flatBars(plot, 0.65f, Charts.BLUE, Charts.ORANGE);
        }
        Charts.verticalMarker(plot, 0, "threshold (contamination " + contamination + ")", Charts.RED);
        return Charts.svg(chart, 880, 340);
    }

    /**
     * Precision, recall and F1 if the threshold flagged the lowest-scoring share c of the rows, for c up to
     * a little past the chosen contamination and the labelled rate. Each sampled row counts with its class
     * weight, so shares and precision are those of the whole data set.
     */
    private static String precisionRecall(double[] scores, int[] labels, double[] classWeight, double contamination) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b])); // most anomalous first
        double total = 0;
        double positives = 0;
        for (int l : labels) {
            total += classWeight[l];
            positives += l == 1 ? classWeight[1] : 0;
        }
        double rate = positives / total;
        XYSeries precision = new XYSeries("precision");
        XYSeries recall = new XYSeries("recall");
        XYSeries f1 = new XYSeries("F1");
        double maxC = Math.max(0.2, Math.min(0.5, 2.5 * Math.max(contamination, rate)));
        double tp = 0;
        double flagged = 0;
        double lastC = -1;
        for (int i = 0; i < order.length && flagged < maxC * total; i++) {
            int l = labels[order[i]];
            flagged += classWeight[l];
            tp += l == 1 ? classWeight[1] : 0;
            double c = flagged / total;
            if (c - lastC < maxC / 400) {
                continue; // ~400 points a line are plenty for the eye and keep the SVG small
            }
            lastC = c;
            double p = tp / flagged;
            double r = positives == 0 ? 0 : tp / positives;
            precision.add(c, p);
            recall.add(c, r);
            f1.add(c, p + r == 0 ? 0 : 2 * p * r / (p + r));
        }
        XYSeriesCollection ds = new XYSeriesCollection();
        ds.addSeries(precision);
        ds.addSeries(recall);
        ds.addSeries(f1);
        JFreeChart chart = ChartFactory.createXYLineChart(null, "contamination (share of rows flagged)", "",
                ds, PlotOrientation.VERTICAL, true, false, false);
        Charts.style(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        r.setSeriesPaint(0, Charts.BLUE);
        r.setSeriesPaint(1, Charts.ORANGE);
        r.setSeriesPaint(2, Charts.GREEN);
        for (int s = 0; s < 3; s++) {
            r.setSeriesStroke(s, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        Charts.verticalMarker(plot, contamination, "chosen contamination " + contamination, Charts.RED, true);
        Charts.verticalMarker(plot, rate, "labelled anomaly rate " + String.format(Locale.ROOT, "%.3f", rate), Charts.GREY, false);
        return Charts.svg(chart, 880, 340);
    }

    private static int[] indicesWithLabel(List<OrderRow> rows, int label) {
        return java.util.stream.IntStream.range(0, rows.size()).filter(i -> rows.get(i).label() == label).toArray();
    }

    private static int[] pick(int[] from, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = from[positions[i]];
        }
        return out;
    }

    private static double[] filter(double[] scores, int[] labels, int label) {
        int n = 0;
        for (int l : labels) {
            n += l == label ? 1 : 0;
        }
        double[] out = new double[n];
        int j = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] == label) {
                out[j++] = scores[i];
            }
        }
        return out;
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }
}
