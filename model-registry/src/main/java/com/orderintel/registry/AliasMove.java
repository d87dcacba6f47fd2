package com.orderintel.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One entry of an alias's log, as the alias file records it: which alias, what happened (a promote or rollback moves
 * it; a request, approval or rejection of a promotion does not), from which version (null when the alias was unset)
 * to which, when, by whom or what (a user on a host, a CI run, a console user), why ({@code reason}, as the principal
 * gave it; may be null) and, for a request, its approval or rejection and the move an approval made, the request's id.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AliasMove(String alias, String action, String from, String to, Instant at, String by, String reason,
                        String requestId) {

    public static final String PROMOTE = "promote";
    public static final String ROLLBACK = "rollback";
    public static final String REQUEST = "request";
    public static final String APPROVE = "approve";
    public static final String REJECT = "reject";

    /** A move without a reason or request (as logged before reasons existed). */
    public AliasMove(String alias, String action, String from, String to, Instant at, String by) {
        this(alias, action, from, to, at, by, null, null);
    }

    /** True for the entries that changed where the alias points (promote, rollback). */
    public boolean moved() {
        return PROMOTE.equals(action) || ROLLBACK.equals(action);
    }

    /**
     * Who is moving an alias from this process: the GitHub Actions actor, workflow and run when running there,
     * else {@code user@host}. {@code via} names the tool (e.g. {@code training-runner promote}); may be null.
     */
    public static String currentActor(String via) {
        return currentActor(System.getenv(), System.getProperty("user.name", "unknown"), via);
    }

    static String currentActor(Map<String, String> env, String user, String via) {
        String who;
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            who = env.getOrDefault("GITHUB_ACTOR", "unknown") + " (GitHub Actions: " + env.getOrDefault("GITHUB_WORKFLOW", "?")
                    + " run " + env.getOrDefault("GITHUB_RUN_ID", "?") + ")";
        } else {
            String host = env.getOrDefault("HOSTNAME", "");
            who = host.isBlank() ? user : user + "@" + host;
        }
        return via == null || via.isBlank() ? who : who + " via " + via;
    }

    /** A move stamped now, to the second (the alias file is read by people). */
    static AliasMove now(String alias, String action, String from, String to, String by, String reason, String requestId) {
        return new AliasMove(alias, action, from, to, Instant.now().truncatedTo(ChronoUnit.SECONDS), by, reason, requestId);
    }
}
