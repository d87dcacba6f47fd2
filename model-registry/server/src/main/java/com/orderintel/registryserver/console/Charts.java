package com.orderintel.registryserver.console;

import com.orderintel.registry.AliasMove;
import com.orderintel.registry.ModelManifest;
import org.springframework.web.util.HtmlUtils;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small inline SVG pictures drawn on the server (no script, no chart library in the browser): feature histograms
 * overlaid, the alias timeline and a daily line. Every text that comes from a manifest or the alias log is escaped.
 */
final class Charts {

    static final String[] COLOURS = {"#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2"};

    private Charts() {
    }

    /** One series of a histogram chart: a label and bin edges with the fraction of rows in each bin. */
    record Series(String label, List<Double> edges, List<Double> fractions) {
        static Series of(String label, ModelManifest.Histogram h) {
            return h == null ? null : new Series(label, h.edges(), h.fractions());
        }
    }

    /**
     * Histograms overlaid on one x axis, drawn as densities (fraction / bin width, so quantile bins of different width
     * compare), each a translucent step area with its outline. Series without bins are left out.
     */
    static String histograms(String title, List<Series> series) {
        List<Series> drawn = series.stream().filter(s -> s != null && s.edges() != null && s.edges().size() >= 2
                && s.fractions() != null && s.fractions().size() == s.edges().size() - 1).toList();
        int w = 360;
        int h = 150;
        int left = 8;
        int bottom = 22;
        int top = 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
                w, h, w, h, esc(title)));
        svg.append("<text x=\"").append(left).append("\" y=\"13\" class=\"chart-title\">").append(esc(title)).append("</text>");
        if (drawn.isEmpty()) {
            return svg.append("<text x=\"8\" y=\"70\" class=\"chart-note\">no histogram recorded</text></svg>").toString();
        }
        double min = drawn.stream().mapToDouble(s -> s.edges().getFirst()).min().orElse(0);
        double max = drawn.stream().mapToDouble(s -> s.edges().getLast()).max().orElse(1);
        if (max <= min) {
            max = min + 1;
        }
        List<double[]> densities = new ArrayList<>();
        double top1 = 0;
        for (Series s : drawn) {
            double[] d = new double[s.fractions().size()];
            for (int i = 0; i < d.length; i++) {
                double width = s.edges().get(i + 1) - s.edges().get(i);
                // a zero-width bin (a repeated edge) holds one value: draw it one hundredth of the axis wide
                d[i] = s.fractions().get(i) / Math.max(width, (max - min) / 100);
                top1 = Math.max(top1, d[i]);
            }
            densities.add(d);
        }
        double plotW = w - 2.0 * left;
        double plotH = h - top - bottom;
        for (int k = 0; k < drawn.size(); k++) {
            Series s = drawn.get(k);
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            double y0 = top + plotH;
            for (int i = 0; i < densities.get(k).length; i++) {
                double x1 = left + (s.edges().get(i) - min) / (max - min) * plotW;
                double x2 = left + (Math.max(s.edges().get(i + 1), s.edges().get(i) + (max - min) / 100) - min) / (max - min) * plotW;
                double y = top + plotH - densities.get(k)[i] / top1 * plotH;
                if (i == 0) {
                    pts.append(f(x1)).append(',').append(f(y0)).append(' ');
                }
                pts.append(f(x1)).append(',').append(f(y)).append(' ').append(f(Math.min(x2, left + plotW))).append(',').append(f(y)).append(' ');
                if (i == densities.get(k).length - 1) {
                    pts.append(f(Math.min(x2, left + plotW))).append(',').append(f(y0));
                }
            }
            svg.append("<polygon points=\"").append(pts).append("\" fill=\"").append(colour).append("\" fill-opacity=\"0.25\" stroke=\"")
                    .append(colour).append("\" stroke-width=\"1.5\"><title>").append(esc(s.label())).append("</title></polygon>");
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"axis\"/>", left, f(top + plotH),
                f(left + plotW), f(top + plotH)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"chart-note\">%s</text>", left, h - 6, esc(num(min))));
        svg.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" class=\"chart-note\" text-anchor=\"end\">%s</text>",
                f(left + plotW), h - 6, esc(num(max))));
        int lx = w - left;
        for (int k = drawn.size() - 1; k >= 0; k--) { // legend, right-aligned in the title row
            String label = drawn.get(k).label();
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"13\" text-anchor=\"end\" class=\"legend\" fill=\"%s\">&#9632; %s</text>",
                    lx, COLOURS[k % COLOURS.length], esc(label)));
            lx -= 24 + 7 * Math.min(label.length(), 24);
        }
        return svg.append("</svg>").toString();
    }

    /**
     * The alias timeline: one lane per alias, a segment per version it pointed at, labelled with the version; request,
     * approve and reject entries as marks under the lane. The axis is the order of the log's entries (each gets an
     * equal step, dated below), not linear time: moves minutes apart and months apart both stay readable.
     */
    static String timeline(List<AliasMove> log, Instant now) {
        List<AliasMove> entries = log.stream().filter(m -> m.at() != null).toList();
        if (entries.isEmpty()) {
            return "<p class=\"muted\">No alias has moved yet.</p>";
        }
        Map<String, List<Integer>> lanes = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            lanes.computeIfAbsent(entries.get(i).alias(), a -> new ArrayList<>()).add(i);
        }
        int labelW = 110;
        int w = 1150;
        int laneH = 44;
        int h = 40 + laneH * lanes.size();
        double step = (w - labelW - 10.0) / (entries.size() + 1); // one step per entry, the last move runs one step on
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart timeline\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"alias timeline\">", w, h));
        Map<String, String> colourOf = new LinkedHashMap<>();
        int lane = 0;
        for (Map.Entry<String, List<Integer>> e : lanes.entrySet()) {
            double y = 8 + lane * laneH;
            svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%s\" class=\"lane\">%s</text>", f(y + 16), esc(e.getKey())));
            List<Integer> moves = e.getValue().stream().filter(i -> entries.get(i).moved()).toList();
            for (int k = 0; k < moves.size(); k++) {
                AliasMove m = entries.get(moves.get(k));
                double x1 = labelW + moves.get(k) * step;
                double x2 = k + 1 < moves.size() ? labelW + moves.get(k + 1) * step : w - 10;
                String colour = colourOf.computeIfAbsent(m.to(), v -> COLOURS[colourOf.size() % COLOURS.length]);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"22\" rx=\"3\" fill=\"%s\" fill-opacity=\"0.85\">"
                                + "<title>%s</title></rect>", f(x1), f(y), f(Math.max(2, x2 - x1 - 2)), colour,
                        esc(m.action() + " " + m.to() + " at " + m.at() + " by " + m.by() + (m.reason() == null ? "" : ": " + m.reason()))));
                svg.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%s\" class=\"seg\">%s</text>", f(x1 + 5), f(y + 15),
                        esc(shortVersion(m.to(), (int) ((x2 - x1 - 10) / 7.5)))));
            }
            for (int i : e.getValue()) {
                AliasMove m = entries.get(i);
                if (!m.moved()) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"5\" class=\"mark-%s\"><title>%s</title></circle>",
                            f(labelW + i * step + 5), f(y + 31), esc(m.action()), esc(m.action() + " " + m.to() + " by " + m.by() + " at " + m.at())));
                }
            }
            lane++;
        }
        String lastDay = "";
        for (int i = 0; i < entries.size(); i++) { // dates under the lanes, each day once
            String day = entries.get(i).at().toString().substring(0, 10);
            if (!day.equals(lastDay)) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" class=\"chart-note\">%s</text>", f(labelW + i * step),
                        h - 6, esc(day)));
                lastDay = day;
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"chart-note\" text-anchor=\"end\">now</text>", w - 10, h - 6));
        return svg.append("</svg>").toString();
    }

    /** A daily figure as a line with dots (e.g. precision or MAE against feedback). */
    static String line(String title, List<Instant> days, List<Double> values) {
        int w = 360;
        int h = 120;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">", w, h, w, h, esc(title)));
        svg.append("<text x=\"8\" y=\"13\" class=\"chart-title\">").append(esc(title)).append("</text>");
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null && Double.isFinite(values.get(i))) {
                pts.add(new double[] {i, values.get(i)});
            }
        }
        if (pts.isEmpty()) {
            return svg.append("<text x=\"8\" y=\"60\" class=\"chart-note\">no labelled rows yet</text></svg>").toString();
        }
        double lo = Math.min(0, pts.stream().mapToDouble(p -> p[1]).min().orElse(0));
        double hi = Math.max(lo + 1e-9, pts.stream().mapToDouble(p -> p[1]).max().orElse(1));
        double n = Math.max(1, values.size() - 1);
        StringBuilder poly = new StringBuilder();
        for (double[] p : pts) {
            double x = 12 + p[0] / n * (w - 24);
            double y = 20 + (1 - (p[1] - lo) / (hi - lo)) * (h - 44);
            poly.append(f(x)).append(',').append(f(y)).append(' ');
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"><title>%s</title></circle>", f(x), f(y),
                    COLOURS[0], esc(days.get((int) p[0]) + ": " + num(p[1]))));
        }
        svg.append("<polyline fill=\"none\" stroke=\"").append(COLOURS[0]).append("\" stroke-width=\"2\" points=\"").append(poly).append("\"/>");
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" class=\"chart-note\">%s to %s, max %s</text>", h - 6,
                esc(days.getFirst().toString().substring(0, 10)), esc(days.getLast().toString().substring(0, 10)), esc(num(hi))));
        return svg.append("</svg>").toString();
    }

    static String shortVersion(String v, int chars) {
        if (v == null) {
            return "";
        }
        int max = Math.max(4, chars);
        return v.length() <= max ? v : v.substring(0, max - 1) + "\u2026";
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3) ? String.format(Locale.ROOT, "%.3g", v)
                : String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.4f", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }
}
