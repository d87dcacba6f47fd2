package com.orderintel.runner;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the training runner CLI. Each sub-command lives in its own class; exit codes: 0 success,
 * 2 bad input or usage (one-line reason on stderr), 1 any other failure.
 */
@Command(name = "training-runner", mixinStandardHelpOptions = true, version = "training-runner 0.1.0",
        description = "Train, evaluate, publish and promote the demand-forecast and order-anomaly models.",
        subcommands = {
                GenerateCommand.class,
                TrainCommand.class,
                EvaluateCommand.class,
                PublishCommand.class,
                PromoteCommand.class,
                RollbackCommand.class,
                ListCommand.class,
                InferCommand.class,
                DatasetCommand.class,
                RetrainCommand.class,
        })
public final class TrainingRunner {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (used by tests, which must not call System.exit). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (one-line errors, exit code 2 for bad input). */
    public static CommandLine commandLine() {
        return new CommandLine(new TrainingRunner()).setExecutionExceptionHandler(new CliErrors());
    }
}
