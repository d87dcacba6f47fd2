package com.orderintel.runner;

import com.orderintel.registry.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Lists models, versions, creation time, key metrics and aliases, as a table or as JSON. */
@Command(name = "list", description = "List published models, versions, metrics and aliases.")
final class ListCommand extends RegistryCommand {

    @Mixin
    OutputOption output;

    @Override
    int call(ModelStore store) {
        List<ModelStore.ModelVersionInfo> versions = store.list();
        PrintWriter out = out();
        if (output.json()) {
            out.println(Json.write(versions.stream().map(v -> json(store, v)).toList()));
            return 0;
        }
        out.printf("%-16s %-42s %-20s %-16s %s%n", "MODEL", "VERSION", "CREATED", "ALIASES", "METRICS");
        for (ModelStore.ModelVersionInfo v : versions) {
            String metrics = v.manifest().metrics() == null ? "" : v.manifest().metrics().entrySet().stream()
                    .filter(e -> !e.getKey().endsWith("_rows") && !e.getKey().equals("rows"))
                    .map(e -> String.format(Locale.ROOT, "%s=%.4f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(" "));
            out.printf("%-16s %-42s %-20s %-16s %s%n", v.name(), v.version(), v.manifest().createdAt(),
                    v.aliases().isEmpty() ? "-" : String.join(",", v.aliases()), metrics);
        }
        return 0;
    }

    private static Map<String, Object> json(ModelStore store, ModelStore.ModelVersionInfo v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", v.name());
        m.put("version", v.version());
        m.put("uri", store.location() + "/" + v.version() + "/" + v.name());
        m.put("created_at", String.valueOf(v.manifest().createdAt()));
        m.put("algorithm", v.manifest().algorithm() == null ? null : v.manifest().algorithm().name());
        m.put("aliases", v.aliases());
        m.put("metrics", v.manifest().metrics() == null ? Map.of() : v.manifest().metrics());
        return m;
    }
}
