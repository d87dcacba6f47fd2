package com.orderintel.runner;

import com.orderintel.training.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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

    /** What a user's file can get wrong: the command, the file, and what its one-line error must name. */
    static Stream<Arguments> badFiles() {
        String orders = "order_id,avg_processing_ms,item_count,payment_score,label\n";
        String demand = "date,product_id,avg_basket_value,promo_flag,demand\n";
        return Stream.of(
                bad("missing column", "demand", "d.csv", "date,product_id,avg_basket_value,demand\n2024-04-01,SKU-001,82.4,120\n"
                        + "2024-04-02,SKU-001,80.1,115\n", "d.csv", "missing column(s) [promo_flag]"),
                bad("unparseable number", "anomaly", "o.csv", orders + "A,1450,3,0.88,0\nB,fast,4,0.76,0\n",
                        "o.csv:3", "column 'avg_processing_ms'", "'fast' is not a number"),
                bad("unparseable date", "demand", "d.csv", demand + "2024-04-01,S,82.4,0,120\n01/04/2024,S,80.1,0,115\n",
                        "d.csv:3", "column 'date'", "not an ISO date"),
                bad("NaN value", "anomaly", "o.csv", orders + "A,1450,3,NaN,0\nB,1500,4,0.76,0\n", "o.csv:2", "column 'payment_score'", "NaN"),
                bad("header only", "anomaly", "o.csv", orders, "o.csv", "no data rows"),
                bad("empty file", "anomaly", "empty.csv", "", "empty.csv", "file is empty"),
                bad("single row", "anomaly", "o.csv", orders + "A,1450,3,0.88,0\n", "o.csv", "only one data row"),
                bad("promo flag 2", "demand", "d.csv", demand + "2024-04-01,S,82.4,2,120\n2024-04-02,S,80.1,0,115\n",
                        "d.csv:2", "column 'promo_flag'", "must be 0 or 1"),
                bad("ragged row", "anomaly", "g.csv", "order_id,avg_processing_ms,item_count,payment_score\nA,1450,3\nB,1,1,1\n",
                        "g.csv:2", "expected 4 fields, found 3"),
                bad("unclosed quote", "anomaly", "q.csv", "order_id,avg_processing_ms,item_count,payment_score\nA,1450,3,0.88\n"
                        + "\"B,1500,4,0.76\nC,1,1,1\n", "q.csv", "malformed CSV"),
                bad("label yes", "anomaly", "o.csv", orders + "A,1450,3,0.88,0\nB,1500,4,0.76,yes\n",
                        "o.csv:3", "column 'label'", "'yes' is not a number"),
                bad("label -1", "anomaly", "g.csv", orders + "A,1450,3,0.88,0\nB,1500,4,0.76,-1\n", "g.csv:3", "column 'label'",
                        "must be 0 or 1"));
    }

    private static Arguments bad(String what, String kind, String file, String content, String... fragments) {
        return Arguments.of(what, kind, file, content, fragments);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileIsOneLineNamingTheProblemAndWritesNoModel(String what, String kind, String file, String content, String[] fragments)
            throws IOException {
        assertBadInput(train(kind, csv(file, content)), fragments);
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void tooFewRowsPerProductForOls() throws IOException {
        Path f = csv("d.csv", "date,product_id,avg_basket_value,promo_flag,demand\n2024-04-01,S,82.4,0,120\n2024-04-02,S,80.1,1,115\n");
        assertBadInput(train("demand", f, "--test-size", "0"), "product 'S' has 2 training rows");
    }

    @ParameterizedTest
    @CsvSource({"0", "0.51", "-0.1", "1"})
    void contaminationOutOfRange(String value) {
        assertBadInput(train("anomaly", TestData.sampleOrders(), "--contamination", value), "--contamination must be in (0, 0.5]");
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
