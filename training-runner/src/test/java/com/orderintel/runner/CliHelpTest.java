package com.orderintel.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Help, descriptions, choices and completion of every command, found by walking the command tree. */
class CliHelpTest {

    @TempDir
    Path dir;

    /** Every command path below the top, e.g. [train, demand], [infer], in tree order. */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(TrainingRunner.commandLine(), new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(CommandLine cli, List<String> prefix, List<List<String>> out) {
        out.add(List.copyOf(prefix));
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) { // picocli's help command takes a command name, not --help
                List<String> p = new ArrayList<>(prefix);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }

    private static List<CommandSpec> allSpecs() {
        List<CommandSpec> specs = new ArrayList<>();
        CommandLine root = TrainingRunner.commandLine();
        for (List<String> path : commandPaths()) {
            CommandLine c = root;
            for (String name : path) {
                c = c.getSubcommands().get(name);
            }
            specs.add(c.getCommandSpec());
        }
        return specs;
    }

    @Test
    void theCommandLineOfOneSubCommandParsesAndHelpsAsTheFullOne() {
        CommandLine full = TrainingRunner.commandLine();
        // the name table main() picks from is exactly the full tree's sub-commands, in help order
        assertThat(TrainingRunner.COMMANDS.keySet()).containsExactlyElementsOf(full.getSubcommands().keySet());
        for (List<String> path : commandPaths()) {
            if (path.isEmpty()) {
                continue;
            }
            CommandLine lazy = TrainingRunner.commandLine(path.toArray(String[]::new));
            boolean listsAll = path.getFirst().equals("completion");
            assertThat(lazy.getSubcommands().keySet()).as(String.join(" ", path))
                    .isEqualTo(listsAll ? full.getSubcommands().keySet() : java.util.Set.of(path.getFirst()));
            CommandLine a = full;
            CommandLine b = lazy;
            for (String name : path) {
                a = a.getSubcommands().get(name);
                b = b.getSubcommands().get(name);
            }
            assertThat(b.getUsageMessage()).as(String.join(" ", path)).isEqualTo(a.getUsageMessage());
        }
        assertThat(TrainingRunner.commandLine("help", "train").getSubcommands()).hasSameSizeAs(full.getSubcommands());
        assertThat(TrainingRunner.commandLine("--help").getSubcommands()).hasSameSizeAs(full.getSubcommands());
        assertThat(TrainingRunner.commandLine("trian").getSubcommands()).hasSameSizeAs(full.getSubcommands());
    }

    @Test
    void helpWorksOnEveryCommandInBothForms() {
        List<List<String>> paths = commandPaths();
        assertThat(paths).hasSizeGreaterThanOrEqualTo(16).contains(List.of("train", "demand"), List.of("infer"),
                List.of("history"), List.of("show"), List.of("completion"));
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                CliRun run = CliRun.of(args.toArray(String[]::new));
                String where = String.join(" ", args);
                assertThat(run.exitCode()).as(where + ": " + run.err()).isZero();
                assertThat(run.err()).as(where).isEmpty();
                assertThat(run.out()).as(where).startsWith("Usage: training-runner" + (path.isEmpty() ? "" : " " + String.join(" ", path)))
                        .contains("-h, --help");
            }
        }
    }

    @Test
    void helpWinsAtAnyPositionEvenWithRequiredOptionsMissing() {
        for (String[] args : List.of(new String[] {"train", "demand", "--data", "x.csv", "--help"},
                new String[] {"infer", "--model-uri", "file:///r/m@production", "-h"},
                new String[] {"train", "--help", "anomaly"},
                new String[] {"promote", "-h", "--version", "v1"},
                new String[] {"help", "evaluate"})) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
            assertThat(run.out()).startsWith("Usage: training-runner ");
        }
        assertThat(CliRun.of("--version").out()).startsWith("training-runner ");
    }

    @Test
    void everyOptionIsDescribedAndEveryChoiceIsListed() {
        for (CommandSpec spec : allSpecs()) {
            for (OptionSpec o : spec.options()) {
                assertThat(String.join(" ", o.description())).as(spec.qualifiedName() + " " + o.longestName()).isNotBlank();
                if (o.type().isEnum()) {
                    String usage = new CommandLine(spec).getUsageMessage();
                    assertThat(o.completionCandidates()).as(o.longestName()).isNotEmpty();
                    assertThat(usage).as(spec.qualifiedName() + " " + o.longestName())
                            .containsIgnoringCase("one of: " + String.join(", ", o.completionCandidates()));
                }
            }
            spec.positionalParameters().forEach(p -> assertThat(String.join(" ", p.description()))
                    .as(spec.qualifiedName() + " " + p.paramLabel()).isNotBlank());
        }
        CliRun help = CliRun.of("train", "demand", "--help");
        assertThat(help.out()).contains("One of: ols, xgboost. ols:", "Default: ols", "Default: 0.2", "One of: random, time.");
    }

    @Test
    void aBadChoiceOrAMissingSubcommandIsOneLineNamingTheChoices() {
        CliRun algorithm = CliRun.of("train", "demand", "--data", "d.csv", "--model-out", "m", "--algorithm", "lightgbm");
        assertThat(algorithm.exitCode()).isEqualTo(2);
        assertThat(algorithm.err()).isEqualTo("error: Invalid value for option '--algorithm': expected one of ols, xgboost, got 'lightgbm'"
                + " - see 'training-runner train demand --help'" + System.lineSeparator());
        CliRun output = CliRun.of("list", "--output", "yaml");
        assertThat(output.exitCode()).isEqualTo(2);
        assertThat(output.err()).contains("expected one of table, json, got 'yaml'").hasLineCount(1);
        assertThat(CliRun.of("list", "--output", "JSON", "--registry", dir.toUri().toString()).exitCode()).isZero(); // any case

        CliRun noSub = CliRun.of("train");
        assertThat(noSub.exitCode()).isEqualTo(2);
        assertThat(noSub.err()).contains("Missing required subcommand: demand or anomaly").hasLineCount(1);
        CliRun typo = CliRun.of("train", "anomaly", "--data", "o.csv", "--model-out", "m", "--contaminaton", "0.1");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("Unknown option", "'--contaminaton'", "(did you mean --contamination?)").hasLineCount(1);
    }

    @Test
    void theCompletionScriptIsValidBashAndKnowsCommandsAndChoices() throws Exception {
        CliRun run = CliRun.of("completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F", "history", "show", "--algorithm");
        Path script = dir.resolve("training-runner-completion.bash");
        Files.writeString(script, run.out());
        // bash itself: the script parses, registers the completion, and completes 'train d' to 'demand'
        Process p = new ProcessBuilder("bash", "-c", "source " + script + " && complete -p training-runner"
                + " && COMP_WORDS=(training-runner train d) COMP_CWORD=2 COMP_LINE='training-runner train d' COMP_POINT=23"
                + " && _complete_training-runner training-runner d train && echo \"sub: ${COMPREPLY[*]}\""
                + " && COMP_WORDS=(training-runner train demand --algorithm '') COMP_CWORD=4"
                + " && _complete_training-runner training-runner '' --algorithm && echo \"choices: ${COMPREPLY[*]}\"")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("-F _complete_training-runner training-runner", "sub: demand", "choices: ols xgboost");
    }
}
