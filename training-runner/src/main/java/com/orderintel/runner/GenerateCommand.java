package com.orderintel.runner;

import com.orderintel.dataset.DataGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** Writes seeded synthetic data sets for tests, benchmarks and the local quick start. */
@Command(name = "generate", description = "Generate a seeded synthetic data set.",
        subcommands = {GenerateCommand.Demand.class, GenerateCommand.Orders.class})
final class GenerateCommand {

    @Command(name = "demand", description = "Daily demand per product with seasonality and promotions.")
    static final class Demand implements Runnable {
        @Option(names = "--rows", defaultValue = "100000", description = "Rows to write (default ${DEFAULT-VALUE}).")
        int rows;
        @Option(names = "--products", defaultValue = "20", description = "Number of products (default ${DEFAULT-VALUE}).")
        int products;
        @Option(names = {"--seed", "--random-state"}, defaultValue = "42")
        long seed;
        @Option(names = "--out", required = true, description = "CSV file to write.")
        Path out;
        @Option(names = "--expected", description = "Add each day's true mean (column expected_demand): `train demand` then reports the noise floor (mae_floor).")
        boolean expected;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            DataGenerator.demand(out, rows, products, seed, expected);
            spec.commandLine().getOut().printf("wrote %d demand rows for %d products to %s%n", rows, products, out);
        }
    }

    @Command(name = "orders", description = "Order metrics with labelled, injected anomalies.")
    static final class Orders implements Runnable {
        @Option(names = "--rows", defaultValue = "100000")
        int rows;
        @Option(names = "--anomaly-rate", defaultValue = "0.05")
        double anomalyRate;
        @Option(names = {"--seed", "--random-state"}, defaultValue = "42")
        long seed;
        @Option(names = "--out", required = true)
        Path out;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            DataGenerator.orders(out, rows, anomalyRate, seed);
            spec.commandLine().getOut().printf("wrote %d order rows to %s%n", rows, out);
        }
    }
}
