package com.orderintel.training.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JFreeChart charts in one quiet style, rendered to inline SVG by JFreeSVG. Each SVG gets its own id prefix so
 * that several charts in one HTML page do not share clip-path ids.
 */
final class Charts {

    static final Color BLUE = new Color(0x1f77b4);
    static final Color ORANGE = new Color(0xff7f0e);
    static final Color RED = new Color(0xd62728);
    static final Color GREEN = new Color(0x2ca02c);
    static final Color GREY = new Color(0x555555);
    private static final Color GRID = new Color(0xdddddd);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Rows behind each feature histogram: the shape of 5,000 seeded rows is the shape of the data set. */
    static final int HISTOGRAM_SAMPLE = 5_000;

    static {
        System.setProperty("java.awt.headless", "true"); // no display on CI or in containers
        // Rotated labels (the y axes) through Graphics2D.drawString, which JFreeSVG writes as an SVG <text> with a
        // transform. JFreeChart's default workaround (for a raster rendering bug of old JDKs) draws them with a
        // TextLayout, which reaches SVG as glyph outlines: unselectable paths, and HarfBuzz shaping set up through
        // the FFM API on first use, a large part of the report's CPU in a fresh JVM.
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private Charts() {
    }

    /**
     * The chart as a {@code <figure>} holding an {@code <svg>} that scales down with the page (viewBox, no fixed
     * size) but never grows past its drawn width, so fonts keep their size.
     */
    static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        String id = "c" + IDS.incrementAndGet();
        g.setDefsKeyPrefix(id + "-");
        g.setGeomDoubleConverter(Charts::twoDecimals); // full doubles would triple the size of a scatter plot
        g.setTransformDoubleConverter(Charts::twoDecimals);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return "<figure style=\"flex:1 1 " + width + "px;max-width:" + width + "px\">"
                + g.getSVGElement(id, false, new ViewBox(0, 0, width, height), null, null) + "</figure>";
    }

    private static String twoDecimals(double v) {
        return Double.toString(Math.round(v * 100) / 100.0);
    }

    /** White plot, light grid, readable fonts: applied to every chart of the report. */
    static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE);
        }
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(LABEL);
            chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
            xy.getDomainAxis().setLabelFont(LABEL);
            xy.getRangeAxis().setLabelFont(LABEL);
            xy.getDomainAxis().setTickLabelFont(TICK);
            xy.getRangeAxis().setTickLabelFont(TICK);
        } else if (plot instanceof CategoryPlot cp) {
            cp.setRangeGridlinePaint(GRID);
            cp.getDomainAxis().setLabelFont(LABEL);
            cp.getRangeAxis().setLabelFont(LABEL);
            cp.getDomainAxis().setTickLabelFont(TICK);
            cp.getRangeAxis().setTickLabelFont(TICK);
        }
        return chart;
    }

    static void subtitle(JFreeChart chart, String text) {
        TextTitle t = new TextTitle(text, TICK);
        t.setPaint(GREY);
        chart.addSubtitle(t);
    }

    /** A vertical marker with a label at the top, e.g. a threshold. */
    static void verticalMarker(XYPlot plot, double x, String label, Color color) {
        verticalMarker(plot, x, label, color, true);
    }

    /** A vertical marker labelled at the top or at the bottom (so two markers close together stay legible). */
    static void verticalMarker(XYPlot plot, double x, String label, Color color, boolean top) {
        ValueMarker m = new ValueMarker(x, color, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        m.setLabel(label);
        m.setLabelFont(TICK);
        m.setLabelPaint(color);
        m.setLabelBackgroundColor(new Color(255, 255, 255, 0)); // JFreeChart's default grey box would hide the curves
        m.setLabelAnchor(top ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.BOTTOM_RIGHT);
        m.setLabelTextAnchor(top ? TextAnchor.TOP_LEFT : TextAnchor.BOTTOM_LEFT);
        plot.addDomainMarker(m, Layer.FOREGROUND);
    }

    /** Bars without gradients or shadows, optionally translucent so overlaid series stay visible. */
    static void flatBars(XYPlot plot, float alpha, Color... colors) {
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        plot.setForegroundAlpha(alpha);
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
        }
    }

    /** A histogram of one column; the range is clipped to the 0.5-99.5 % quantiles so a long tail does not hide the body. */
    static String histogram(String title, String xLabel, double[] values, int bins) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double lo = quantile(sorted, 0.005);
        double hi = quantile(sorted, 0.995);
        boolean clipped = lo > sorted[0] || hi < sorted[sorted.length - 1];
        if (hi <= lo) { // constant or nearly: one visible bar
            lo = sorted[0] - 0.5;
            hi = sorted[sorted.length - 1] + 0.5;
            bins = 1;
        } else if (isIntegral(sorted) && hi - lo + 1 <= bins) {
            bins = (int) (hi - lo + 1); // small integer columns (flags, weekdays): one bar per value
            lo -= 0.5;
            hi += 0.5;
        }
        HistogramDataset ds = new HistogramDataset();
        ds.setType(HistogramType.RELATIVE_FREQUENCY);
        ds.addSeries(xLabel, values, bins, lo, hi);
        JFreeChart chart = ChartFactory.createHistogram(title, xLabel, "share of rows", ds, PlotOrientation.VERTICAL, false, false, false);
        style(chart);
        flatBars(chart.getXYPlot(), 1f, BLUE);
        ((XYBarRenderer) chart.getXYPlot().getRenderer()).setMargin(0.05);
        if (clipped) {
            subtitle(chart, "values beyond the 0.5-99.5 % quantiles are counted in the end bars");
        }
        return svg(chart, 380, 250);
    }

    /** Box plots of a value by category (whiskers and outliers as JFreeChart draws them). */
    static String boxPlot(String title, String categoryLabel, String valueLabel, DefaultBoxAndWhiskerCategoryDataset ds,
                          boolean horizontal) {
        JFreeChart chart = ChartFactory.createBoxAndWhiskerChart(title, categoryLabel, valueLabel, ds, false);
        style(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        if (horizontal) { // one row per category: long lists stay readable without rotated (glyph-outlined) labels
            plot.setOrientation(PlotOrientation.HORIZONTAL);
        }
        BoxAndWhiskerRenderer r = (BoxAndWhiskerRenderer) plot.getRenderer();
        r.setSeriesPaint(0, new Color(0x9ecae1));
        r.setSeriesOutlinePaint(0, BLUE);
        r.setUseOutlinePaintForWhiskers(true);
        r.setMeanVisible(false); // JFreeChart draws the mean as a large disc that hides the median
        r.setMaxOutlierVisible(false); // far-out markers are drawn as triangles at the edge: noise here
        r.setMinOutlierVisible(false);
        r.setMaximumBarWidth(0.06);
        plot.addRangeMarker(new ValueMarker(0, GREY, new BasicStroke(1f)));
        subtitle(chart, "box: quartiles, line: median, whiskers: 1.5 IQR, circles: rows beyond them");
        return svg(chart, horizontal ? 560 : 560, horizontal ? 90 + 22 * ds.getColumnCount() : 340);
    }

    static double[] column(double[][] x, int col) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i][col];
        }
        return out;
    }

    static String histogramNote(int sampled, int total, String what) {
        return sampled < total
                ? String.format(java.util.Locale.ROOT, "A seeded sample of %,d of the %,d %s.", sampled, total, what)
                : String.format(java.util.Locale.ROOT, "All %,d %s.", total, what);
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static boolean isIntegral(double[] sorted) {
        int step = Math.max(1, sorted.length / 500); // a sample is enough to tell
        for (int i = 0; i < sorted.length; i += step) {
            if (sorted[i] != Math.rint(sorted[i])) {
                return false;
            }
        }
        return true;
    }
}
