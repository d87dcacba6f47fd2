package com.orderintel.runner;

import com.orderintel.training.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bad input of the training CLI: exit code 2, one line naming the problem, no stack trace. */
class BadInputCliTest {

    @TempDir
    Path dir;

    private Path csv(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static void assertBadInput(CliRun run, String... fragments) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip().lines()).as("one-line reason").hasSize(1);
        assertThat(run.err()).startsWith("error: ").doesNotContain("Exception", "\tat ");
        for (String f : fragments) {
            assertThat(run.err()).contains(f);
        }
        assertThat(run.out()).isEmpty();
    }

    /** {@code train <kind> --data <data> --model-out <tmp>/m [extra...]}: the command every case here runs. */
    private CliRun train(String kind, Path data, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", kind, "--data", data.toString(), "--model-out", dir.resolve("m").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void missingFile() {
        assertBadInput(train("demand", dir.resolve("nope.csv")), "nope.csv", "file not found");
    }

    @Test
    void missingColumn() throws IOException {
        Path f = csv("d.csv", "date,product_id,avg_basket_value,demand\n2024-04-01,SKU-001,82.4,120\n2024-04-02,SKU-001,80.1,115\n");
        assertBadInput(train("demand", f),
                "d.csv", "missing column(s) [promo_flag]");
    }

    @Test
    void unparseableNumber() throws IOException {
        Path f = csv("o.csv", "order_id,avg_processing_ms,item_count,payment_score,label\nA,1450,3,0.88,0\nB,fast,4,0.76,0\n");
        assertBadInput(train("anomaly", f),
                "o.csv:3", "column 'avg_processing_ms'", "'fast' is not a number");
    }

    @Test
    void unparseableDate() throws IOException {
        Path f = csv("d.csv", "date,product_id,avg_basket_value,promo_flag,demand\n2024-04-01,S,82.4,0,120\n01/04/2024,S,80.1,0,115\n");
        assertBadInput(train("demand", f),
                "d.csv:3", "column 'date'", "not an ISO date");
    }

    @Test
    void nanValue() throws IOException {
        Path f = csv("o.csv", "order_id,avg_processing_ms,item_count,payment_score,label\nA,1450,3,NaN,0\nB,1500,4,0.76,0\n");
        assertBadInput(train("anomaly", f),
                "o.csv:2", "column 'payment_score'", "NaN");
    }

    @Test
    void emptyData() throws IOException {
        Path f = csv("o.csv", "order_id,avg_processing_ms,item_count,payment_score,label\n");
        assertBadInput(train("anomaly", f),
                "o.csv", "no data rows");
        Path empty = csv("empty.csv", "");
        assertBadInput(train("anomaly", empty),
                "empty.csv", "file is empty");
    }

    @Test
    void singleRow() throws IOException {
        Path f = csv("o.csv", "order_id,avg_processing_ms,item_count,payment_score,label\nA,1450,3,0.88,0\n");
        assertBadInput(train("anomaly", f),
                "o.csv", "only one data row");
    }

    @ParameterizedTest
    @CsvSource({"0", "0.51", "-0.1", "1"})
    void contaminationOutOfRange(String value) {
        assertBadInput(train("anomaly", TestData.sampleOrders(), "--contamination", value), "--contamination must be in (0, 0.5]");
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void wrongFlagValueAndRaggedRow() throws IOException {
        Path f = csv("d.csv", "date,product_id,avg_basket_value,promo_flag,demand\n2024-04-01,S,82.4,2,120\n2024-04-02,S,80.1,0,115\n");
        assertBadInput(train("demand", f),
                "d.csv:2", "column 'promo_flag'", "must be 0 or 1");
        Path g = csv("g.csv", "order_id,avg_processing_ms,item_count,payment_score\nA,1450,3\nB,1,1,1\n");
        assertBadInput(train("anomaly", g),
                "g.csv:2", "expected 4 fields, found 3");
    }

    @Test
    void unclosedQuoteIsMalformedCsv() throws IOException {
        Path f = csv("q.csv", "order_id,avg_processing_ms,item_count,payment_score\nA,1450,3,0.88\n\"B,1500,4,0.76\nC,1,1,1\n");
        assertBadInput(train("anomaly", f), "q.csv", "malformed CSV");
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void olsFeatureThatNeverVariesIsNamed() throws IOException {
        StringBuilder rows = new StringBuilder("date,product_id,avg_basket_value,promo_flag,demand\n");
        for (int d = 1; d <= 20; d++) { // SKU-9 is never on promotion: its promo_flag weight is undetermined
            rows.append(String.format("2024-04-%02d,SKU-9,%d.5,0,%d%n", d, 70 + d % 5, 100 + d));
        }
        assertBadInput(train("demand", csv("flat.csv", rows.toString()), "--test-size", "0"),
                "product 'SKU-9'", "feature 'promo_flag' has the same value on all 20 training rows");
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void tooFewRowsPerProductForOls() throws IOException {
        Path f = csv("d.csv", "date,product_id,avg_basket_value,promo_flag,demand\n2024-04-01,S,82.4,0,120\n2024-04-02,S,80.1,1,115\n");
        assertBadInput(train("demand", f,
                "--test-size", "0"), "product 'S' has 2 training rows");
    }

    @Test
    void wrongLabelValue() throws IOException {
        Path f = csv("o.csv", "order_id,avg_processing_ms,item_count,payment_score,label\nA,1450,3,0.88,0\nB,1500,4,0.76,yes\n");
        assertBadInput(train("anomaly", f),
                "o.csv:3", "column 'label'", "'yes' is not a number");
        Path g = csv("g.csv", "order_id,avg_processing_ms,item_count,payment_score,label\nA,1450,3,0.88,0\nB,1500,4,0.76,-1\n");
        assertBadInput(train("anomaly", g),
                "g.csv:3", "column 'label'", "must be 0 or 1");
    }

    @Test
    void unknownDemandAlgorithm() {
        assertBadInput(train("demand", TestData.sampleDemand(), "--algorithm", "lightgbm"),
                "Invalid value for option '--algorithm': expected one of ols, xgboost, got 'lightgbm'");
        assertBadInput(train("demand", TestData.sampleDemand(), "--split", "future"),
                "Invalid value for option '--split': expected one of random, time, got 'future'");
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void xgboostOptionsOutOfRange() {
        assertBadInput(train("demand", TestData.sampleDemand(), "--algorithm", "xgboost", "--shrinkage", "0"), "--shrinkage must be in (0, 1]");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.of("train", "anomaly", "--data", "x.csv", "--model-out", "m", "--bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--bogus'");
    }
}
