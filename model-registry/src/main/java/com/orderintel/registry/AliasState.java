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
public record AliasState(Map<String, String> current, Map<String, List<String>> history, List<AliasMove> log,
                         List<PromotionRequest> requests) {

    /** Pending promotion requests a model may hold at once: more is refused (each is a line someone must decide on). */
    public static final int MAX_PENDING_REQUESTS = 20;

    private static final ObjectMapper YAML = new ObjectMapper(ManifestCodec.boundedYamlFactory().build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public AliasState {
        current = current == null ? Map.of() : Map.copyOf(current);
        history = history == null ? Map.of() : Map.copyOf(history);
        log = log == null ? List.of() : List.copyOf(log);
        requests = requests == null ? List.of() : List.copyOf(requests);
    }

    public AliasState(Map<String, String> current, Map<String, List<String>> history, List<AliasMove> log) {
        this(current, history, log, List.of());
    }

    public static AliasState empty() {
        return new AliasState(Map.of(), Map.of(), List.of(), List.of());
    }

    /** Points {@code alias} at {@code version}; {@code by} says who (see {@link AliasMove#currentActor}). */
    public AliasState promote(String alias, String version, String by) {
        return promote(alias, version, by, null, null);
    }

    /** Points {@code alias} at {@code version}, logging why and, for an approved request, which one. */
    public AliasState promote(String alias, String version, String by, String reason, String requestId) {
        Map<String, String> c = new LinkedHashMap<>(current);
        Map<String, List<String>> h = new LinkedHashMap<>(history);
        String previous = c.put(alias, version);
        if (previous != null && !previous.equals(version)) {
            List<String> past = new ArrayList<>(h.getOrDefault(alias, List.of()));
            past.add(previous);
            h.put(alias, List.copyOf(past));
        }
        return new AliasState(c, h, append(AliasMove.now(alias, AliasMove.PROMOTE, previous, version, by, reason, requestId)), requests);
    }

    public AliasState rollback(String modelName, String alias, String by) {
        return rollback(modelName, alias, by, null);
    }

    public AliasState rollback(String modelName, String alias, String by, String reason) {
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
        return new AliasState(c, h, append(AliasMove.now(alias, AliasMove.ROLLBACK, previous, past.getLast(), by, reason, null)),
                requests);
    }

    /** Records a pending request to point {@code alias} at {@code version} (the version is checked by the store). */
    public AliasState request(String modelName, PromotionRequest request) {
        if (requests.size() >= MAX_PENDING_REQUESTS) {
            throw new RegistryException(RegistryException.Reason.CONFLICT, "model '" + modelName + "' already has "
                    + requests.size() + " pending promotion requests (at most " + MAX_PENDING_REQUESTS
                    + "): approve or reject some first");
        }
        List<PromotionRequest> r = new ArrayList<>(requests);
        r.add(request);
        return new AliasState(current, history, append(new AliasMove(request.alias(), AliasMove.REQUEST, request.from(),
                request.version(), request.at(), request.requestedBy(), request.reason(), request.id())), r);
    }

    /** The pending request with this id, or NOT_FOUND naming the model. */
    public PromotionRequest pending(String modelName, String requestId) {
        return requests.stream().filter(r -> r.id().equals(requestId)).findFirst().orElseThrow(() -> new RegistryException(
                NOT_FOUND, "model '" + modelName + "' has no pending promotion request " + ModelNames.quote(requestId, 80)
                        + " (already decided, or never made)"));
    }

    /**
     * Approves a pending request and moves its alias in the same state: the approval and the move are logged with the
     * request's id. The requester cannot approve their own request.
     */
    public AliasState approve(String modelName, String requestId, String by, String reason) {
        PromotionRequest r = pending(modelName, requestId);
        if (samePrincipal(r.requestedBy(), by)) {
            throw new RegistryException(RegistryException.Reason.NOT_PERMITTED, "'" + by + "' requested promotion " + requestId
                    + " (" + modelName + "@" + r.alias() + " -> " + r.version() + ") and cannot approve it: a second person must");
        }
        AliasState decided = decide(r, AliasMove.APPROVE, by, reason);
        return decided.promote(r.alias(), r.version(), by, "approved request " + r.id() + " by " + r.requestedBy()
                + (r.reason() == null ? "" : ": " + r.reason()), r.id());
    }

    /** Rejects (or withdraws) a pending request: it leaves the pending list, logged with its id. */
    public AliasState reject(String modelName, String requestId, String by, String reason) {
        return decide(pending(modelName, requestId), AliasMove.REJECT, by, reason);
    }

    private AliasState decide(PromotionRequest r, String action, String by, String reason) {
        List<PromotionRequest> rest = requests.stream().filter(x -> !x.id().equals(r.id())).toList();
        AliasMove entry = AliasMove.now(r.alias(), action, current.get(r.alias()), r.version(), by, reason, r.id());
        return new AliasState(current, history, append(entry), rest);
    }

    /** Principals compare without case and surrounding blanks ({@code Ann} and {@code ann } are one person). */
    static boolean samePrincipal(String a, String b) {
        return a != null && b != null && a.strip().equalsIgnoreCase(b.strip());
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
