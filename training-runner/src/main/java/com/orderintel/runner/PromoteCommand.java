package com.orderintel.runner;

import com.orderintel.prompteval.PromptGate;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.RegistryException;
import com.orderintel.shadow.ShadowEvidence;
import com.orderintel.shadow.ShadowGate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Points an alias of a model at a published version; the previous target goes into the alias history. With
 * {@code --require-shadow} the version must first have earned it on live traffic: the capture store's figures of
 * that version scored beside the served model (shadow or canary) must reach the thresholds, else nothing moves and
 * the command exits 3 naming each figure that failed. A prompt version ({@code task: PROMPT}) goes through the prompt
 * gate on its recorded evaluation figures, as with {@code prompt promote} (default thresholds).
 */
@Command(name = "promote", description = "Point an alias (staging, production) at a published version. With "
        + "--require-shadow, only when the version's live shadow evidence (capture store) reaches the thresholds; "
        + "exit 3 when refused.")
final class PromoteCommand extends RegistryCommand {

    /** Exit code of a promotion refused on live evidence (distinct from 2, bad input). */
    static final int REFUSED = 3;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name, e.g. order-anomaly.")
    String model;
    @Option(names = "--alias", defaultValue = "production", description = "Alias to move (e.g. staging, production).")
    String alias;
    @Option(names = {"--model-version", "--version"}, required = true,
            description = "Published version to promote (--version is accepted as a synonym).")
    String version;
    @Option(names = "--require-shadow", description = "Promote only on live evidence from the capture store (--jdbc-url).")
    boolean requireShadow;
    @Option(names = "--min-scored", defaultValue = "1000", description = "Records both models scored (default ${DEFAULT-VALUE}).")
    long minScored;
    @Option(names = "--min-agreement", defaultValue = "0.9", description = "Anomaly: share of equal flags (default ${DEFAULT-VALUE}).")
    double minAgreement;
    @Option(names = "--min-precision", defaultValue = "0.5",
            description = "Anomaly: precision against feedback (order_labels) (default ${DEFAULT-VALUE}).")
    double minPrecision;
    @Option(names = "--min-labelled", defaultValue = "50",
            description = "Labelled records (trusted scorings only) needed to judge precision / MAE (default ${DEFAULT-VALUE}, "
                    + "as many as the live-accuracy alerts wait for).")
    long minLabelled;
    @Option(names = "--max-mae-ratio", defaultValue = "1.1",
            description = "Demand: MAE against actuals at most this times the primary's (default ${DEFAULT-VALUE}).")
    double maxMaeRatio;
    @Option(names = "--since", description = "Only evidence scored from this instant (ISO-8601), e.g. when the candidate started shadowing.")
    Instant since;
    @Option(names = "--shadow-alias", description = "After promoting, point this alias (e.g. staging, the shadow's) at "
            + "the version that was replaced, so serving and shadow swap and the old version keeps being compared.")
    String shadowAlias;
    @Option(names = "--reason", description = "Why, kept in the alias log (one line, at most 500 characters).")
    String reason;
    @Mixin
    DatabaseOptions database;

    @Override
    int call(ModelStore store) throws SQLException {
        PrintWriter out = out();
        if (isPrompt(store)) {
            // a prompt version goes through the same gate here as with 'prompt promote' (default thresholds)
            return PromptCommand.gatedPromote(store, model, version, alias, PromptGate.DEFAULTS, spec);
        }
        if (requireShadow) {
            List<String> failures = evidence(store, out);
            if (!failures.isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("refused: " + model + " " + version + " stays unpromoted (" + alias + " unchanged):");
                failures.forEach(f -> err.println("  " + f));
                err.flush();
                return REFUSED;
            }
        }
        ModelStore.AliasChange change = store.promote(model, alias, version, actor(), reason);
        out.println(describe(change));
        if (shadowAlias != null && change.previousVersion() != null && !change.previousVersion().equals(version)) {
            out.println(describe(store.promote(model, shadowAlias, change.previousVersion(), actor(),
                    "replaced in " + alias + " by " + version)));
        }
        return 0;
    }

    private boolean isPrompt(ModelStore store) {
        try {
            return store.manifest(new ModelUri(store.location(), model, version, null)).task() == ModelManifest.Task.PROMPT;
        } catch (RegistryException e) {
            return false; // not published (or unreadable): promote itself reports that
        }
    }

    /** Prints the live figures and returns the gate's failures (empty = accept). */
    private List<String> evidence(ModelStore store, PrintWriter out) throws SQLException {
        ShadowGate gate = new ShadowGate(minScored, minAgreement, minPrecision, minLabelled, maxMaeRatio);
        String location = store.location().endsWith("/") ? store.location().substring(0, store.location().length() - 1)
                : store.location();
        ModelManifest manifest = store.manifest(new ModelUri(location, model, version, null));
        if (manifest.task() == ModelManifest.Task.ANOMALY) {
            ShadowEvidence.Anomaly e = ShadowEvidence.anomaly(database.dataSource(), model, version, since);
            out.println(ShadowGate.describe(e));
            return gate.failures(e);
        }
        ShadowEvidence.Demand e = ShadowEvidence.demand(database.dataSource(), model, version, since);
        out.println(ShadowGate.describe(e));
        return gate.failures(e);
    }

    static String describe(ModelStore.AliasChange c) {
        return c.modelName() + "@" + c.alias() + ": " + (c.previousVersion() == null ? "(unset)" : c.previousVersion())
                + " -> " + c.newVersion();
    }
}
