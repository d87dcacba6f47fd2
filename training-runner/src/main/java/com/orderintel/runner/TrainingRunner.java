package com.orderintel.runner;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the training runner CLI. Each sub-command lives in its own class; exit codes: 0 success,
 * 2 bad input or usage (one-line reason on stderr), 1 any other failure.
 *
 * <p>{@code scope = INHERIT} copies {@code -h/--help}, {@code -V/--version} and shown defaults to every
 * sub-command at any depth, so {@code train demand --help} prints help even though it has required options.
 */
@Command(name = "training-runner", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "training-runner 0.1.0", showDefaultValues = true, sortOptions = false,
        description = "Train, evaluate, publish and promote the demand-forecast and order-anomaly models.",
        footer = {"", "Run 'training-runner COMMAND --help' for a command's options.",
                "Exit codes: 0 success, 2 bad input or usage, 1 any other failure."},
        subcommands = {
                GenerateCommand.class,
                TrainCommand.class,
                EvaluateCommand.class,
                PublishCommand.class,
                PromoteCommand.class,
                RollbackCommand.class,
                ListCommand.class,
                HistoryCommand.class,
                ShowCommand.class,
                InferCommand.class,
                CompletionCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class TrainingRunner {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (used by tests, which must not call System.exit). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (one-line errors, exit code 2 for bad input or usage). */
    public static CommandLine commandLine() {
        CliErrors errors = new CliErrors();
        return new CommandLine(new TrainingRunner())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }
}
