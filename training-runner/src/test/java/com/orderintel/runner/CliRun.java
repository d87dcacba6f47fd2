package com.orderintel.runner;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process with captured stdout/stderr, as a user's shell would see them. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TrainingRunner.commandLine(args); // as main() builds it: only the named sub-command
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The snapshot directory a {@code dataset export} run printed ({@code snapshot <uri>}). */
    static java.nio.file.Path snapshotDir(CliRun run) {
        String line = run.out().lines().filter(l -> l.startsWith("snapshot ")).findFirst().orElseThrow();
        return java.nio.file.Path.of(java.net.URI.create(line.substring("snapshot ".length()).strip()));
    }
}
