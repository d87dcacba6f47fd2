package com.orderintel.runner;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the training runner CLI. Each sub-command lives in its own class; exit codes: 0 success,
 * 2 bad input or usage (one-line reason on stderr), 1 any other failure.
 *
 * <p>{@link #commandLine()} gives every sub-command at any depth {@code -h/--help} and shows defaults, so
 * {@code train demand --help} prints help although the command has required options. Only the top command
 * has {@code -V/--version}: in {@code train} and {@code promote}, {@code --version} is the model version
 * (the Python scripts' flag), which is also why picocli's inherited standard help options cannot be used.
 */
@Command(name = "training-runner", mixinStandardHelpOptions = true,
        version = "training-runner 0.1.0", showDefaultValues = true, sortOptions = false,
        description = "Train, evaluate, publish and promote the demand-forecast and order-anomaly models.",
        footer = {"", "Run 'training-runner COMMAND --help' for a command's options.",
                "Exit codes: 0 success, 2 bad input or usage, 1 any other failure."})
public final class TrainingRunner {

    static {
        // picocli's default factory otherwise looks up groovy.lang.Closure when it is first used: a class-path miss
        // that opens every one of the ~100 jars on the class path (~40 ms of a 1 s command). We have no Groovy.
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
        // XGBoost4J logs through commons-logging, whose 1.3 line routes to SLF4J: logback, unconfigured, would print
        // its DEBUG lines on stdout (where the summary and JSON go) and start up for them (~0.1 s CPU a training).
        // The classic discovery (java.util.logging at INFO, as commons-logging 1.2 did) keeps them out.
        if (System.getProperty("org.apache.commons.logging.LogFactory") == null) {
            System.setProperty("org.apache.commons.logging.LogFactory", "org.apache.commons.logging.impl.LogFactoryImpl");
        }
        // Log lines (e.g. a lifecycle event the broker did not confirm) go to stderr, never onto stdout's summaries and
        // JSON: our logback.xml, named by URL because the jar's Class-Path may load logback from a loader that cannot
        // see the runner's own resources (java -jar target/...-exec.jar next to target/lib).
        if (System.getProperty("logback.configurationFile") == null) {
            java.net.URL config = TrainingRunner.class.getResource("/logback.xml");
            if (config != null) {
                System.setProperty("logback.configurationFile", config.toString());
            }
        }
    }

    /** The sub-commands by name, in the order help lists them. */
    static final Map<String, Class<?>> COMMANDS = orderedMap(
            "generate", GenerateCommand.class,
            "train", TrainCommand.class,
            "evaluate", EvaluateCommand.class,
            "publish", PublishCommand.class,
            "promote", PromoteCommand.class,
            "rollback", RollbackCommand.class,
            "list", ListCommand.class,
            "history", HistoryCommand.class,
            "show", ShowCommand.class,
            "infer", InferCommand.class,
            "dataset", DatasetCommand.class,
            "retrain", RetrainCommand.class,
            "prompt", PromptCommand.class,
            "completion", CompletionCommand.class,
            "help", CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (used by tests, which must not call System.exit). */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The configured command line with every sub-command (one-line errors, exit code 2 for bad input or usage). */
    public static CommandLine commandLine() {
        return build(COMMANDS.values());
    }

    /**
     * The command line for these arguments. When the first one names a sub-command, only that sub-command is
     * registered: picocli builds each command's model by reflection at start-up (and its classes cannot be in the
     * AOT cache: they are Java 5 class files), and parsing or rejecting the rest of the arguments needs no other
     * command. {@code help} and {@code completion} list every command, so they get all, as does anything else.
     */
    static CommandLine commandLine(String... args) {
        Class<?> only = args.length == 0 || "help".equals(args[0]) || "completion".equals(args[0]) ? null : COMMANDS.get(args[0]);
        return only == null ? commandLine() : build(List.of(only));
    }

    private static CommandLine build(Collection<Class<?>> commands) {
        CliErrors errors = new CliErrors();
        CommandLine cli = new CommandLine(new TrainingRunner());
        for (Class<?> c : commands) {
            cli.addSubcommand(c);
        }
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

    private static Map<String, Class<?>> orderedMap(Object... nameThenClass) {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) {
            m.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** {@code -h/--help} for every sub-command: help wins over missing required options. */
    static final class HelpOption {
        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;
    }
}
