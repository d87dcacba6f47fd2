package com.orderintel.runner;

import com.orderintel.registry.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Points an alias of a model at a published version; the previous target goes into the alias history. */
@Command(name = "promote", description = "Point an alias (staging, production) at a published version.")
final class PromoteCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name, e.g. order-anomaly.")
    String model;
    @Option(names = "--alias", defaultValue = "production", description = "Alias to move (e.g. staging, production).")
    String alias;
    @Option(names = {"--model-version", "--version"}, required = true,
            description = "Published version to promote (--version is accepted as a synonym).")
    String version;
    @Mixin
    RegistryOption registry;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        try (ModelStore store = registry.open()) {
            spec.commandLine().getOut().println(describe(store.promote(model, alias, version, RegistryOption.actor(spec))));
        }
    }

    static String describe(ModelStore.AliasChange c) {
        return c.modelName() + "@" + c.alias() + ": " + (c.previousVersion() == null ? "(unset)" : c.previousVersion())
                + " -> " + c.newVersion();
    }
}
