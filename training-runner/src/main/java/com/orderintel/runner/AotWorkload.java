package com.orderintel.runner;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run of the JDK 25 AOT cache ({@code bin/training-runner --build-aot-cache}): runs the common
 * commands once on small generated data in one JVM, so the cache holds their classes, linked, with method
 * profiles. Not a user command; its output is discarded.
 */
public final class AotWorkload {

    private AotWorkload() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("training-runner-aot");
        try {
            String d = dir.resolve("demand.csv").toString();
            String o = dir.resolve("orders.csv").toString();
            String[][] commands = {
                    {"--help"},
                    {"generate", "demand", "--rows", "20000", "--products", "10", "--out", d, "--expected"},
                    {"generate", "orders", "--rows", "20000", "--out", o},
                    {"train", "demand", "--data", d, "--model-out", dir.resolve("ols").toString(), "--model-version", "aot"},
                    {"train", "demand", "--algorithm", "xgboost", "--n-estimators", "20", "--data", d,
                            "--model-out", dir.resolve("xgb").toString(), "--model-version", "aot"},
                    {"train", "anomaly", "--data", o, "--model-out", dir.resolve("iforest").toString(), "--model-version", "aot"},
                    {"evaluate", "--model-dir", dir.resolve("iforest").toString(), "--data", o},
            };
            for (String[] c : commands) {
                StringWriter sink = new StringWriter();
                int code = TrainingRunner.commandLine(c).setOut(new PrintWriter(sink)).setErr(new PrintWriter(sink)).execute(c);
                if (code != 0) {
                    System.err.println("AOT training run: '" + String.join(" ", c) + "' exited " + code + ": " + sink);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
