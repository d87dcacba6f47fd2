package com.orderintel.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.orderintel.registry.RegistryException.Reason.INVALID_MANIFEST;
import static com.orderintel.registry.RegistryException.Reason.NOT_FOUND;

/**
 * The alias file of one model ({@code aliases/<name>.yaml}): where each alias points now; per alias, the
 * versions it pointed at before (most recent last), so {@code rollback} can step back; and the log of every
 * move (oldest first: when, from, to, by whom), which {@code history} shows. Files written before the log
 * existed read with an empty log. Immutable; every change returns a new state that the store writes
 * atomically. Shared by every {@link ModelStore}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AliasState(Map<String, String> current, Map<String, List<String>> history, List<AliasMove> log) {

    private static final ObjectMapper YAML = new ObjectMapper(ManifestCodec.boundedYamlFactory().build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public AliasState {
        current = current == null ? Map.of() : Map.copyOf(current);
        history = history == null ? Map.of() : Map.copyOf(history);
        log = log == null ? List.of() : List.copyOf(log);
    }

    public static AliasState empty() {
        return new AliasState(Map.of(), Map.of(), List.of());
    }

    /** Points {@code alias} at {@code version}; {@code by} says who (see {@link AliasMove#currentActor}). */
    public AliasState promote(String alias, String version, String by) {
        Map<String, String> c = new LinkedHashMap<>(current);
        Map<String, List<String>> h = new LinkedHashMap<>(history);
        String previous = c.put(alias, version);
        if (previous != null && !previous.equals(version)) {
            List<String> past = new ArrayList<>(h.getOrDefault(alias, List.of()));
            past.add(previous);
            h.put(alias, List.copyOf(past));
        }
        return new AliasState(c, h, append(AliasMove.now(alias, AliasMove.PROMOTE, previous, version, by)));
    }

    public AliasState rollback(String modelName, String alias, String by) {
        List<String> past = history.getOrDefault(alias, List.of());
        if (!current.containsKey(alias)) {
            throw new RegistryException(NOT_FOUND, "model '" + modelName + "' has no alias '" + alias + "' to roll back");
        }
        if (past.isEmpty()) {
            throw new RegistryException(NOT_FOUND, "alias '" + alias + "' of model '" + modelName
                    + "' has no earlier version to roll back to");
        }
        Map<String, String> c = new LinkedHashMap<>(current);
        Map<String, List<String>> h = new LinkedHashMap<>(history);
        String previous = c.put(alias, past.getLast());
        h.put(alias, List.copyOf(past.subList(0, past.size() - 1)));
        return new AliasState(c, h, append(AliasMove.now(alias, AliasMove.ROLLBACK, previous, past.getLast(), by)));
    }

    private List<AliasMove> append(AliasMove move) {
        List<AliasMove> l = new ArrayList<>(log);
        l.add(move);
        return l;
    }

    public byte[] toYaml() {
        try {
            return YAML.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("alias state is always serialisable", e);
        }
    }

    public static AliasState fromYaml(byte[] yaml, String origin) {
        ManifestCodec.checkLines(yaml, "alias file " + origin);
        try {
            AliasState s = YAML.readValue(yaml, AliasState.class);
            return s == null ? empty() : s;
        } catch (IOException e) {
            throw new RegistryException(INVALID_MANIFEST, "alias file " + origin + " is unreadable: " + ManifestCodec.parseProblem(e), e);
        }
    }

    /** Aliases pointing at a version, sorted. */
    public List<String> aliasesOf(String version) {
        return current.entrySet().stream().filter(e -> e.getValue().equals(version)).map(Map.Entry::getKey).sorted().toList();
    }
}
