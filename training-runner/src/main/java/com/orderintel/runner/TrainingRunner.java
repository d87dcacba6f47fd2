package com.orderintel.runner;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the training runner CLI. Each sub-command lives in its own class; exit codes: 0 success,
 * 2 bad input or usage (one-line reason on stderr), 1 any other failure.
 *
 * <p>{@link #commandLine()} gives every sub-command at any depth {@code -h/--help} and shows defaults, so
 * {@code train demand --help} prints help although the command has required options. Only the top command
 * has {@code -V/--version}: in {@code train} and {@code promote}, {@code --version} is the model version
 * (the original scripts' flag), which is also why picocli's inherited standard help options cannot be used.
 */
@Command(name = "training-runner", mixinStandardHelpOptions = true,
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
                DatasetCommand.class,
                RetrainCommand.class,
                PromptCommand.class,
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
        CommandLine cli = new CommandLine(new TrainingRunner());
        standardOptions(cli);
        return cli.registerConverter(TrainCommand.Demand.Algorithm.class, Choice.converter(TrainCommand.Demand.Algorithm.class))
                .registerConverter(TrainCommand.Demand.SplitKind.class, Choice.converter(TrainCommand.Demand.SplitKind.class))
                .registerConverter(InferCommand.BadRow.class, Choice.converter(InferCommand.BadRow.class))
                .registerConverter(OutputFormat.class, Choice.converter(OutputFormat.class))
                .registerConverter(PromptCommand.Provider.class, Choice.converter(PromptCommand.Provider.class))
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    private static void standardOptions(CommandLine cli) {
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        if (spec.optionsMap().get("--help") == null) {
            spec.addMixin("help", CommandLine.Model.CommandSpec.forAnnotatedObject(new HelpOption()));
        }
        spec.usageMessage().showDefaultValues(true).sortOptions(false);
        cli.getSubcommands().values().forEach(TrainingRunner::standardOptions);
    }

    /** {@code -h/--help} for every sub-command: help wins over missing required options. */
    static final class HelpOption {
        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;
    }
}
