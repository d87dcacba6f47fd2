package com.orderintel.runner;

import com.orderintel.registry.AliasMove;
import com.orderintel.registry.AliasState;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.RegistryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every move of a model's aliases (when, from, to, by whom), oldest first, from the registry's alias file. */
@Command(name = "history", description = "Show every alias move of a model: when, which alias, from and to which version, by whom.")
final class HistoryCommand extends RegistryCommand {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name, e.g. order-anomaly.")
    String model;
    @Option(names = "--alias", description = "Only this alias (default: all).")
    String alias;
    @Mixin
    OutputOption output;

    @Override
    int call(ModelStore store) {
        AliasState state = store.aliases(model);
        if (state.current().isEmpty() && state.log().isEmpty()) {
            throw new RegistryException(RegistryException.Reason.NOT_FOUND, "model '" + model
                    + "' has no aliases in registry " + store.location() + " (promote a version first)");
        }
        List<AliasMove> moves = state.log().stream().filter(m -> alias == null || alias.equals(m.alias())).toList();
        Map<String, List<String>> unlogged = unlogged(state);
        PrintWriter out = out();
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", model);
            json.put("current", state.current());
            json.put("moves", moves);
            if (!unlogged.isEmpty()) {
                json.put("earlier_unlogged", unlogged);
            }
            out.println(Json.write(json));
            return 0;
        }
        out.printf("%-20s %-12s %-8s %-42s %-42s %s%n", "WHEN", "ALIAS", "ACTION", "FROM", "TO", "BY (WHY)");
        unlogged.forEach((a, versions) -> versions.forEach(v -> out.printf("%-20s %-12s %-8s %-42s %-42s %s%n",
                "(before the log)", a, "-", "-", v, "-")));
        for (AliasMove m : moves) {
            out.printf("%-20s %-12s %-8s %-42s %-42s %s%n", m.at(), m.alias(), m.action(),
                    m.from() == null ? "(unset)" : m.from(), m.to(), (m.by() == null ? "-" : m.by())
                            + (m.reason() == null ? "" : " (" + m.reason() + ")"));
        }
        state.current().entrySet().stream().filter(e -> alias == null || alias.equals(e.getKey())).sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.printf("now: %s@%s -> %s%n", model, e.getKey(), e.getValue()));
        return 0;
    }

    /**
     * Versions an alias pointed at before this registry logged moves (alias files written by older releases
     * keep only the rollback stack, without times): shown so the history has no silent gap.
     */
    private Map<String, List<String>> unlogged(AliasState state) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        state.history().forEach((a, past) -> {
            if (alias == null || alias.equals(a)) {
                List<String> versions = new ArrayList<>(past.stream().filter(v -> state.log().stream().noneMatch(m ->
                        m.moved() && m.alias().equals(a) && (v.equals(m.from()) || v.equals(m.to())))).toList());
                if (!versions.isEmpty()) {
                    out.put(a, versions);
                }
            }
        });
        return out;
    }
}
