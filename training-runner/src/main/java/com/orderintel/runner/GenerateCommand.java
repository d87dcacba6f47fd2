package com.orderintel.runner;

import com.orderintel.dataset.DataGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** Writes seeded synthetic data sets for tests, benchmarks and the local quick start. */
@Command(name = "generate", description = "Generate a seeded synthetic data set (CSV).",
        subcommands = {GenerateCommand.Demand.class, GenerateCommand.Orders.class})
final class GenerateCommand extends ParentCommand {

    /** The options both data sets take: how many rows, the seed, where to write. */
    abstract static class Common implements Runnable {
        @Option(names = "--rows", defaultValue = "100000", description = "Rows to write.")
        int rows;
        @Option(names = {"--seed", "--random-state"}, defaultValue = "42", description = "Random seed; the same seed writes the same file.")
        long seed;
        @Option(names = "--out", required = true, description = "CSV file to write.")
        Path out;
        @Spec
        CommandLine.Model.CommandSpec spec;
    }

    @Command(name = "demand", description = "Daily demand per product with seasonality and promotions.")
    static final class Demand extends Common {
        @Option(names = "--products", defaultValue = "20", description = "Number of products (SKU-001, SKU-002, ...).")
        int products;
        @Option(names = "--expected", description = "Add each day's true mean (column expected_demand): `train demand` then reports the noise floor (mae_floor).")
        boolean expected;

        @Override
        public void run() {
            DataGenerator.demand(out, rows, products, seed, expected);
            spec.commandLine().getOut().printf("wrote %d demand rows for %d products to %s%n", rows, products, out);
        }
    }

    @Command(name = "orders", description = "Order metrics with labelled, injected anomalies (column 'label', 1 = anomaly).")
    static final class Orders extends Common {
        @Option(names = "--anomaly-rate", defaultValue = "0.05", description = "Share of injected anomalies, in [0, 1).")
        double anomalyRate;

        @Override
        public void run() {
            DataGenerator.orders(out, rows, anomalyRate, seed);
            spec.commandLine().getOut().printf("wrote %d order rows to %s%n", rows, out);
        }
    }
}
