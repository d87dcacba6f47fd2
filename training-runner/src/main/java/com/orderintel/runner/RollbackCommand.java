package com.orderintel.runner;

import com.orderintel.registry.ModelStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Moves an alias back to the version it pointed at before its last promotion. */
@Command(name = "rollback", description = "Move an alias back to its previous version.")
final class RollbackCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name, e.g. order-anomaly.")
    String model;
    @Option(names = "--alias", defaultValue = "production", description = "Alias to move back.")
    String alias;
    @Mixin
    RegistryOption registry;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        try (ModelStore store = registry.open()) {
            spec.commandLine().getOut().println(PromoteCommand.describe(store.rollback(model, alias, RegistryOption.actor(spec))));
        }
    }
}
