package com.orderintel.runner;

import com.orderintel.registry.ModelStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Moves an alias back to the version it pointed at before its last promotion. */
@Command(name = "rollback", description = "Move an alias back to its previous version.")
final class RollbackCommand extends RegistryCommand {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name, e.g. order-anomaly.")
    String model;
    @Option(names = "--alias", defaultValue = "production", description = "Alias to move back.")
    String alias;
    @Option(names = "--reason", description = "Why, kept in the alias log (one line, at most 500 characters).")
    String reason;

    @Override
    int call(ModelStore store) {
        out().println(PromoteCommand.describe(store.rollback(model, alias, actor(), reason)));
        return 0;
    }
}
