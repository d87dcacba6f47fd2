package com.orderintel.runner;

import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** A command that only groups sub-commands ({@code train}, {@code generate}, {@code prompt}): alone, a usage error naming them. */
@CommandLine.Command
abstract class ParentCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: "
                + String.join(" or ", spec.subcommands().keySet()));
    }
}
