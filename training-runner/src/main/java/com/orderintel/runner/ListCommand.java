package com.orderintel.runner;

import com.orderintel.registry.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Lists models, versions, creation time, key metrics and aliases. */
@Command(name = "list", description = "List published models, versions, metrics and aliases.")
final class ListCommand implements Runnable {

    @Mixin
    RegistryOption registry;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-16s %-42s %-20s %-16s %s%n", "MODEL", "VERSION", "CREATED", "ALIASES", "METRICS");
        for (ModelStore.ModelVersionInfo v : registry.open().list()) {
            String metrics = v.manifest().metrics() == null ? "" : v.manifest().metrics().entrySet().stream()
                    .filter(e -> !e.getKey().endsWith("_rows") && !e.getKey().equals("rows"))
                    .map(e -> String.format(Locale.ROOT, "%s=%.4f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(" "));
            out.printf("%-16s %-42s %-20s %-16s %s%n", v.name(), v.version(), v.manifest().createdAt(),
                    v.aliases().isEmpty() ? "-" : String.join(",", v.aliases()), metrics);
        }
    }
}
