package com.orderintel.runner;

import com.orderintel.registry.ModelStore;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command on the registry named by {@code --registry}: opens it, runs, closes it. Failures are thrown and become
 * one line and an exit code in {@link CliErrors}, as for every command; the return value is the exit code.
 */
@CommandLine.Command
abstract class RegistryCommand implements Callable<Integer> {

    @Mixin
    RegistryOption registry;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (ModelStore store = registry.open()) {
            return call(store);
        }
    }

    abstract int call(ModelStore store) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Who moves an alias, for the registry's alias log. */
    String actor() {
        return RegistryOption.actor(spec);
    }
}
