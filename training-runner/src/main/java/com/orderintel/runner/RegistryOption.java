package com.orderintel.runner;

import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import com.orderintel.registry.AliasMove;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --registry} option shared by the registry commands; defaults to ./local-registry. */
final class RegistryOption {

    @Option(names = "--registry", description = "Registry location: file:///path or s3://bucket/prefix "
            + "(default: ./local-registry, or $MODEL_REGISTRY).")
    String registry;

    /** Who moves an alias, for the registry's alias log: user@host (or the CI run) via this command. */
    static String actor(CommandSpec spec) {
        return AliasMove.currentActor(spec.qualifiedName());
    }

    ModelStore open() {
        String location = registry;
        if (location == null || location.isBlank()) {
            location = System.getenv("MODEL_REGISTRY");
        }
        if (location == null || location.isBlank()) {
            location = Path.of("local-registry").toAbsolutePath().toUri().toString();
        }
        return open(location);
    }

    /** The one way commands open a registry, from {@code --registry} or a MODEL_URI's location; the caller closes it. */
    static ModelStore open(String location) {
        return ModelStores.open(location.endsWith("/") ? location.substring(0, location.length() - 1) : location);
    }
}
