package com.orderintel.training.report;

import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.DemandFeatures;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.Map;
import java.util.TreeMap;

/** The demand model's plots: predicted against actual, residuals by product and weekday, a per-product error table. */
final class DemandSections {

    /**
     * Evaluated rows behind the residual plots and the error table (~250 a product for 20 products). The report
     * runs once per process, mostly in the interpreter, so every row it touches counts: this keeps it cheap.
     */
    static final int EVALUATED_SAMPLE = 5_000;
    /** Points in the scatter plot: more only slow the browser down without showing more. */
    static final int SCATTER_POINTS = 1_000;
    /** Products in the residual box plot; the table below it lists all of them. */
    static final int MAX_PRODUCTS_PLOTTED = 30;

    private DemandSections() {
    }

    /** The sections that need the model: predicted against actual, residuals, the error table. */
    static List<TrainingReport.Section> evaluated(DemandForecaster model, List<DemandRow> evalRows, String evalDescription) {
        int[] idx = Sample.indices(evalRows.size(), EVALUATED_SAMPLE, 42);
        List<DemandRow> rows = new ArrayList<>(idx.length);
        List<DemandQuery> queries = new ArrayList<>(idx.length);
        for (int i : idx) {
            DemandRow r = evalRows.get(i);
            rows.add(r);
            queries.add(new DemandQuery(r.date(), r.productId(), r.avgBasketValue(), r.promoFlag()));
        }
        double[] predicted = model.predictBatch(queries);
        String note = idx.length < evalRows.size()
                ? String.format(Locale.ROOT, "a seeded sample of %,d of the %,d %s", idx.length, evalRows.size(), evalDescription)
                : String.format(Locale.ROOT, "the %,d %s", evalRows.size(), evalDescription);

        List<TrainingReport.Section> sections = new ArrayList<>();
        sections.add(new TrainingReport.Section("Predicted against actual",
                "Each dot is one product-day of " + note + (rows.size() > SCATTER_POINTS
                        ? String.format(Locale.ROOT, " (%,d dots drawn)", SCATTER_POINTS) : "")
                        + ". Dots on the diagonal are exact; a fan or a bend shows where the model is off.",
                List.of(() -> scatter(rows, predicted)), null));

        DefaultBoxAndWhiskerCategoryDataset byProduct = new DefaultBoxAndWhiskerCategoryDataset();
        DefaultBoxAndWhiskerCategoryDataset byDay = new DefaultBoxAndWhiskerCategoryDataset();
        Map<String, List<Double>> perProduct = new TreeMap<>();
        Map<String, double[]> actualByProduct = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            double residual = rows.get(i).demand() - predicted[i];
            perProduct.computeIfAbsent(rows.get(i).productId(), k -> new ArrayList<>()).add(residual);
            actualByProduct.computeIfAbsent(rows.get(i).productId(), k -> new double[2]);
            actualByProduct.get(rows.get(i).productId())[0] += rows.get(i).demand();
            actualByProduct.get(rows.get(i).productId())[1]++;
        }
        Map<DayOfWeek, List<Double>> perDay = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            perDay.computeIfAbsent(rows.get(i).date().getDayOfWeek(), k -> new ArrayList<>()).add(rows.get(i).demand() - predicted[i]);
        }
        List<String> shown = perProduct.keySet().stream().sorted((a, b) -> Double.compare(mae(perProduct.get(b)), mae(perProduct.get(a))))
                .limit(MAX_PRODUCTS_PLOTTED).sorted().toList();
        shown.forEach(p -> byProduct.add(perProduct.get(p), "residual", p));
        perDay.forEach((d, res) -> byDay.add(res, "residual", d.getDisplayName(TextStyle.SHORT, Locale.ROOT)));
        sections.add(new TrainingReport.Section("Residuals (actual - predicted)",
                "Residuals of " + note + ", by product and by day of week. Boxes centred on zero mean no bias; a box "
                        + "above zero means the model under-forecasts that product or day.",
                List.of(() -> Charts.boxPlot(shown.size() < perProduct.size() ? "by product (the " + shown.size() + " with the largest MAE)"
                                : "by product", "product", "residual (units)", byProduct, true),
                        () -> Charts.boxPlot("by day of week", "day of week", "residual (units)", byDay, false)),
                null));
        sections.add(new TrainingReport.Section("Error per product", "On " + note + ", worst MAE first.", List.of(),
                errorTable(perProduct, actualByProduct)));
        return sections;
    }

    /** The section that needs only the data: histograms of the model's inputs and the target. */
    static TrainingReport.Section histograms(List<DemandRow> trainingRows) {
        int[] h = Sample.indices(trainingRows.size(), Charts.HISTOGRAM_SAMPLE, 11);
        double[][] x = new double[h.length][];
        double[] demand = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            x[i] = DemandFeatures.of(trainingRows.get(h[i]));
            demand[i] = trainingRows.get(h[i]).demand();
        }
        List<Supplier<String>> histograms = new ArrayList<>();
        for (int f = 0; f < DemandFeatures.NAMES.size(); f++) {
            String name = DemandFeatures.NAMES.get(f);
            double[] column = Charts.column(x, f);
            histograms.add(() -> Charts.histogram(name, name, column, 40));
        }
        histograms.add(() -> Charts.histogram("demand (target)", "demand", demand, 40));
        return new TrainingReport.Section("Feature histograms", Charts.histogramNote(h.length, trainingRows.size(),
                "rows of the data set") + " The original model's inputs and the target.", histograms, null);
    }

    private static double mae(List<Double> residuals) {
        return residuals.stream().mapToDouble(Math::abs).average().orElse(0);
    }

    private static String scatter(List<DemandRow> rows, double[] predicted) {
        int[] idx = Sample.indices(rows.size(), SCATTER_POINTS, 7);
        XYSeries s = new XYSeries("product-day", false, true);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i : idx) {
            s.add(rows.get(i).demand(), predicted[i]);
            lo = Math.min(lo, Math.min(rows.get(i).demand(), predicted[i]));
            hi = Math.max(hi, Math.max(rows.get(i).demand(), predicted[i]));
        }
        JFreeChart chart = ChartFactory.createScatterPlot(null, "actual demand", "predicted demand", new XYSeriesCollection(s),
                PlotOrientation.VERTICAL, false, false, false);
        Charts.style(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        r.setDrawOutlines(false);
        r.setSeriesShape(0, new Rectangle2D.Double(-1.75, -1.75, 3.5, 3.5)); // squares: a quarter of a circle's SVG path
        r.setSeriesPaint(0, new Color(31, 119, 180, 110));
        plot.setRenderer(r);
        plot.addAnnotation(new XYLineAnnotation(lo, lo, hi, hi, new BasicStroke(1.5f), Charts.RED));
        return Charts.svg(chart, 560, 480);
    }

    private static String errorTable(Map<String, List<Double>> residuals, Map<String, double[]> actual) {
        record Row(String product, int n, double mae, double rmse, double bias, double meanActual) { }
        List<Row> table = new ArrayList<>();
        residuals.forEach((p, res) -> {
            double abs = 0;
            double sq = 0;
            double sum = 0;
            for (double e : res) {
                abs += Math.abs(e);
                sq += e * e;
                sum += e;
            }
            int n = res.size();
            table.add(new Row(p, n, abs / n, Math.sqrt(sq / n), sum / n, actual.get(p)[0] / actual.get(p)[1]));
        });
        table.sort((a, b) -> Double.compare(b.mae(), a.mae()));
        StringBuilder html = new StringBuilder("<table><thead><tr><th>product</th><th>rows</th><th>MAE</th><th>RMSE</th>"
                + "<th>bias (mean residual)</th><th>mean demand</th><th>MAE / mean</th></tr></thead><tbody>");
        for (Row r : table) {
            html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%.2f</td><td>%.2f</td><td>%+.2f</td><td>%.1f</td><td>%.1f %%</td></tr>",
                    Html.escape(r.product()), r.n(), r.mae(), r.rmse(), r.bias(), r.meanActual(),
                    r.meanActual() == 0 ? 0 : 100 * r.mae() / r.meanActual()));
        }
        return html.append("</tbody></table>").toString();
    }
}
