package com.orderintel.runner;

import com.orderintel.dataset.DataGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** train and evaluate write a self-contained report.html with the plots a reviewer needs. */
class TrainingReportCliTest {

    @TempDir
    static Path dir;
    static Path orders;
    static Path demand;

    @BeforeAll
    static void data() {
        orders = dir.resolve("orders.csv");
        demand = dir.resolve("demand.csv");
        DataGenerator.orders(orders, 6000, 0.05, 3);
        DataGenerator.demand(demand, 3000, 4, 3);
    }

    private static CliRun ok(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    /** Nothing the browser would fetch: no scripts, no links, no images; http only in XML namespace names. */
    private static void assertSelfContained(String html) {
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link")
                .doesNotContainIgnoringCase("<img").doesNotContain("src=").doesNotContain("href=").doesNotContain("@import");
        assertThat(html.replaceAll("xmlns(:\\w+)?='[^']*'", "")).doesNotContain("http:").doesNotContain("https:");
    }

    /** SVG ids (clip paths) must be unique in the page, or one chart would clip another's drawing. */
    private static void assertUniqueIds(String html) {
        Matcher m = Pattern.compile(" id='([^']+)'").matcher(html);
        List<String> ids = m.results().map(r -> r.group(1)).toList();
        assertThat(ids).isNotEmpty().doesNotHaveDuplicates();
    }

    private static long count(String html, String s) {
        return Pattern.compile(Pattern.quote(s)).matcher(html).results().count();
    }

    @Test
    void anomalyTrainingReport() throws Exception {
        CliRun run = ok("train", "anomaly", "--data", orders.toString(), "--model-out", dir.resolve("am").toString(),
                "--contamination", "0.05", "--n-estimators", "50");
        assertThat(run.out()).containsPattern("report +\\S*am/report.html \\(\\d+ ms\\)");
        String html = Files.readString(dir.resolve("am/report.html"));
        assertSelfContained(html);
        assertUniqueIds(html);
        assertThat(count(html, "<svg")).isEqualTo(5); // scores, precision/recall, three feature histograms
        assertThat(html).contains("Training report: order-anomaly", "Score distribution", "threshold (contamination 0.05)",
                "label 1 (anomaly", "Precision and recall against contamination", "chosen contamination 0.05",
                "labelled anomaly rate 0.050", "Feature histograms", ">avg_processing_ms<", ">item_count<", ">payment_score<",
                ">precision</div>");
    }

    @Test
    void demandTrainingReport() throws Exception {
        ok("train", "demand", "--data", demand.toString(), "--model-out", dir.resolve("dm").toString());
        String html = Files.readString(dir.resolve("dm/report.html"));
        assertSelfContained(html);
        assertUniqueIds(html);
        assertThat(count(html, "<svg")).isEqualTo(9); // scatter, 2 residual box plots, 5 features + target
        assertThat(html).contains("Training report: demand-forecast", "Predicted against actual", "held-out rows (test size 0.2)",
                "Residuals (actual - predicted)", "by product", "by day of week", "Error per product", ">day_of_week<",
                ">demand (target)<", ">r2</div>");
        for (String product : List.of("SKU-001", "SKU-002", "SKU-003", "SKU-004")) {
            assertThat(html).contains("<tr><td>" + product + "</td>");
        }
        // rotated (y-axis) labels are SVG text, not glyph outlines (JFreeChart's TextLayout workaround is off)
        assertThat(html).contains(">predicted demand<", ">share of rows<");
        assertThat(count(html, ">residual (units)<")).isEqualTo(2);
    }

    @Test
    void evaluateWritesAReportBesideTheModelOrWhereAsked() throws Exception {
        ok("train", "anomaly", "--data", orders.toString(), "--model-out", dir.resolve("ev").toString(), "--no-report",
                "--n-estimators", "50");
        assertThat(dir.resolve("ev/report.html")).doesNotExist();
        CliRun eval = ok("evaluate", "--model-dir", dir.resolve("ev").toString(), "--data", orders.toString());
        assertThat(eval.out()).contains("report").contains("ev/evaluation-report.html");
        assertThat(dir.resolve("ev/report.html")).doesNotExist(); // a training report there would have been kept
        String html = Files.readString(dir.resolve("ev/evaluation-report.html"));
        assertThat(html).contains("Evaluation report: order-anomaly", "evaluated on " + orders.toAbsolutePath());
        assertSelfContained(html);

        Path elsewhere = dir.resolve("reports/demand-eval.html");
        ok("train", "demand", "--data", demand.toString(), "--model-out", dir.resolve("ev-d").toString(), "--no-report");
        ok("evaluate", "--model-dir", dir.resolve("ev-d").toString(), "--data", demand.toString(), "--report", elsewhere.toString());
        assertThat(Files.readString(elsewhere)).contains("Evaluation report: demand-forecast", "evaluation rows (demand.csv)");
        assertThat(dir.resolve("ev-d/report.html")).doesNotExist();
    }
}
