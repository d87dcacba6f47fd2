package com.orderintel.training.report;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.dataset.DataException;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.registry.ModelManifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code report.html}: what a person deciding whether to promote a model wants to look at, as one
 * self-contained file (inline SVG charts drawn by JFreeChart, inline CSS; no scripts, no network), written
 * beside the model by {@code train} and {@code evaluate}. Plots use seeded samples of the rows, so the
 * report costs tens of milliseconds whatever the data size.
 */
public final class TrainingReport {

    public static final String FILE_NAME = "report.html";
    /** What {@code evaluate} writes beside a model directory, so the training report stays. */
    public static final String EVALUATION_FILE_NAME = "evaluation-report.html";

    /**
     * One part of the page: a heading, a sentence on how to read it, charts (drawn when the report is built)
     * and optional HTML (a table).
     */
    record Section(String title, String note, List<Supplier<String>> figures, String html) { }

    /** A section with its charts drawn. */
    private record Drawn(Section section, List<String> svgs) { }

    private final String kind;
    private final ModelManifest manifest;
    private final Map<String, Double> metrics;
    private final String dataLine;
    private final List<Drawn> sections;

    private TrainingReport(String kind, ModelManifest manifest, Map<String, Double> metrics, String dataLine, List<Drawn> sections) {
        this.kind = kind;
        this.manifest = manifest;
        this.metrics = metrics;
        this.dataLine = dataLine;
        this.sections = List.copyOf(sections);
    }

    /**
     * Draws every chart of the model's sections, in parallel (the charts are independent, and a report is drawn once
     * per process, mostly before the JIT has compiled the charting code, so a second core halves the wait), then
     * appends the data charts, drawn meanwhile.
     */
    private static List<Drawn> draw(List<Section> sections, DataCharts data) {
        List<Supplier<String>> all = sections.stream().flatMap(s -> s.figures().stream()).toList();
        List<String> svgs = all.parallelStream().map(Supplier::get).toList(); // encounter order is kept
        List<Drawn> out = new java.util.ArrayList<>();
        int next = 0;
        for (Section s : sections) {
            out.add(new Drawn(s, svgs.subList(next, next + s.figures().size())));
            next += s.figures().size();
        }
        out.add(data.join());
        return out;
    }

    /**
     * The charts of a report that need only the data (the feature histograms). {@link #demandData} and
     * {@link #anomalyData} start drawing them on a thread of their own at once, so {@code train} has them drawn
     * while the model fits (on a core the fit leaves idle) instead of after it.
     */
    public static final class DataCharts {
        private final CompletableFuture<Drawn> drawn = new CompletableFuture<>();

        private DataCharts(Supplier<Section> section) {
            Thread.ofPlatform().daemon().name("report-data-charts").start(() -> {
                try {
                    Section s = section.get();
                    drawn.complete(new Drawn(s, s.figures().stream().map(Supplier::get).toList()));
                } catch (Throwable e) { // any failure (no fonts, out of memory) must complete it, or the report would wait forever
                    drawn.completeExceptionally(e); // surfaces when the report is drawn, as a report warning
                }
            });
        }

        private Drawn join() {
            try {
                return drawn.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
    }

    /** Starts drawing the demand report's data charts: histograms of the model's inputs and the target over {@code rows}. */
    public static DataCharts demandData(List<DemandRow> rows) {
        return new DataCharts(() -> DemandSections.histograms(rows));
    }

    /** Starts drawing the anomaly report's data charts: histograms of the model's inputs over {@code rows}. */
    public static DataCharts anomalyData(List<OrderRow> rows, String rowsDescription) {
        return new DataCharts(() -> AnomalySections.histograms(rows, rowsDescription));
    }

    /** The anomaly model's report on {@code rows} (the training data, or evaluation data). */
    public static TrainingReport anomaly(AnomalyDetector model, ModelManifest manifest, List<OrderRow> rows, String rowsDescription) {
        return anomaly(model, manifest, rows, rowsDescription, anomalyData(rows, rowsDescription));
    }

    /** As {@link #anomaly(AnomalyDetector, ModelManifest, List, String)}, with its data charts already started. */
    public static TrainingReport anomaly(AnomalyDetector model, ModelManifest manifest, List<OrderRow> rows, String rowsDescription,
                                         DataCharts data) {
        Object c = manifest.algorithm().hyperParameters() == null ? null : manifest.algorithm().hyperParameters().get("contamination");
        double contamination = c instanceof Number n ? n.doubleValue() : 0.1;
        return new TrainingReport("Training report", manifest, manifest.metrics(), trainedOn(manifest),
                draw(AnomalySections.scored(model, contamination, rows, rowsDescription), data));
    }

    /** The demand model's report: residuals on {@code evalRows}, histograms of {@code trainingRows}. */
    public static TrainingReport demand(DemandForecaster model, ModelManifest manifest, List<DemandRow> trainingRows,
                                        List<DemandRow> evalRows, String evalDescription) {
        return demand(model, manifest, evalRows, evalDescription, demandData(trainingRows));
    }

    /** The demand model's report: residuals on {@code evalRows}, and the data charts already started. */
    public static TrainingReport demand(DemandForecaster model, ModelManifest manifest, List<DemandRow> evalRows,
                                        String evalDescription, DataCharts data) {
        return new TrainingReport("Training report", manifest, manifest.metrics(), trainedOn(manifest),
                draw(DemandSections.evaluated(model, evalRows, evalDescription), data));
    }

    /** This report as an evaluation of the model on another data set, with that evaluation's metrics. */
    /** @param data where the evaluation rows came from: a path or a snapshot URI, as given */
    public TrainingReport evaluation(String data, Map<String, Double> evaluated) {
        return new TrainingReport("Evaluation report", manifest, evaluated, "evaluated on " + data
                + "; " + trainedOn(manifest), sections);
    }

    /** Writes the page (creating parent directories) and returns its path. */
    public Path writeTo(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, html(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new DataException("cannot write report " + file + ": " + e.getMessage(), e);
        }
    }

    public String html() {
        StringBuilder h = new StringBuilder(256 * 1024);
        String title = manifest.name() + " " + manifest.version();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.escape(kind + ": " + title)).append("</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<header><h1>").append(Html.escape(kind)).append(": ").append(Html.escape(manifest.name()))
                .append(" <span class=\"version\">").append(Html.escape(manifest.version())).append("</span></h1>");
        h.append("<p class=\"meta\">").append(Html.escape(manifest.algorithm().name())).append(" &middot; ")
                .append(Html.escape(parameters())).append("<br>").append(Html.escape(dataLine)).append("</p></header>\n");
        h.append("<section><h2>Metrics</h2><div class=\"metrics\">");
        if (metrics != null) {
            metrics.forEach((k, v) -> h.append("<div class=\"metric\"><div class=\"value\">").append(format(k, v))
                    .append("</div><div class=\"name\">").append(Html.escape(k)).append("</div></div>"));
        }
        h.append("</div></section>\n");
        for (Drawn d : sections) {
            Section s = d.section();
            h.append("<section><h2>").append(Html.escape(s.title())).append("</h2><p class=\"note\">").append(Html.escape(s.note()))
                    .append("</p>");
            if (!d.svgs().isEmpty()) {
                h.append("<div class=\"figures\">");
                d.svgs().forEach(h::append);
                h.append("</div>");
            }
            if (s.html() != null) {
                h.append(s.html());
            }
            h.append("</section>\n");
        }
        h.append("<footer>Artifact ").append(Html.escape(manifest.artifact().file())).append(" sha256 ")
                .append(Html.escape(manifest.artifact().sha256())).append(" &middot; written by training-runner; charts by "
                        + "JFreeChart and JFreeSVG. Self-contained: no scripts, no network.</footer>\n</body></html>\n");
        return h.toString();
    }

    private String parameters() {
        if (manifest.algorithm().hyperParameters() == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        manifest.algorithm().hyperParameters().forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append(" ").append(v));
        return s.toString();
    }

    private static String trainedOn(ModelManifest m) {
        return m.dataset() == null ? "trained " + m.createdAt()
                : String.format(Locale.ROOT, "trained %s on %s (%,d rows, sha256 %s)", m.createdAt(), m.dataset().uri(),
                m.dataset().rows(), m.dataset().sha256() == null ? "?" : m.dataset().sha256().substring(0, Math.min(12, m.dataset().sha256().length())));
    }

    private static String format(String key, double v) {
        if (key.equals("rows") || key.endsWith("_rows") || key.equals("products")) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4f", v);
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;max-width:1240px;
            padding:24px 32px;color:#222;background:#fff;line-height:1.45}
            h1{font-size:26px;margin:0 0 4px}h1 .version{font-size:15px;font-weight:normal;color:#666;font-family:monospace}
            h2{font-size:19px;margin:28px 0 6px;border-bottom:1px solid #e3e3e3;padding-bottom:4px}
            .meta{color:#555;margin:0;font-size:14px}.note{color:#444;margin:4px 0 10px;font-size:14px;max-width:980px}
            .metrics{display:flex;flex-wrap:wrap;gap:12px}
            .metric{border:1px solid #e3e3e3;border-radius:6px;padding:8px 14px;min-width:110px}
            .metric .value{font-size:20px;font-weight:600}.metric .name{color:#666;font-size:13px}
            .figures{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
            figure{margin:0}figure svg{width:100%;height:auto;display:block}
            table{border-collapse:collapse;font-size:14px;margin-top:6px}
            th,td{padding:4px 12px;border-bottom:1px solid #eee;text-align:right}th:first-child,td:first-child{text-align:left}
            th{background:#f6f6f6;font-weight:600}
            footer{margin-top:32px;color:#777;font-size:12px;border-top:1px solid #e3e3e3;padding-top:8px;word-break:break-all}
            """;
}
