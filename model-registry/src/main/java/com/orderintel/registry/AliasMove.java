package com.orderintel.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One move of an alias, as the alias file records it: which alias, promote or rollback, from which version
 * (null when the alias was unset) to which, when, and by whom or what (a user on a host, or a CI run).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AliasMove(String alias, String action, String from, String to, Instant at, String by) {

    public static final String PROMOTE = "promote";
    public static final String ROLLBACK = "rollback";

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
    static AliasMove now(String alias, String action, String from, String to, String by) {
        return new AliasMove(alias, action, from, to, Instant.now().truncatedTo(ChronoUnit.SECONDS), by);
    }
}
