package com.orderintel.runner;

import com.orderintel.dataset.DataException;
import com.orderintel.llm.OpenAiChatClient;
import com.orderintel.llm.TokenPrices;
import com.orderintel.prompteval.GoldenSet;
import com.orderintel.prompteval.NoteLabeler;
import com.orderintel.prompteval.PromptEvaluation;
import com.orderintel.prompteval.PromptEvaluator;
import com.orderintel.prompteval.PromptGate;
import com.orderintel.prompteval.PromptRelease;
import com.orderintel.prompteval.PromptSource;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import com.orderintel.training.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Prompt versions as releases: score one on the golden set, and promote it only when its figures pass the gate. */
@Command(name = "prompt", description = "Evaluate prompt versions and promote them through the release gate.",
        subcommands = {PromptCommand.Eval.class, PromptCommand.Promote.class})
final class PromptCommand extends ParentCommand {

    /** Exit code of a promotion the gate refused (figures below thresholds). */
    static final int REFUSED = 3;
    static final String DEFAULT_GOLDEN = "/golden/order-notes.jsonl";

    enum Provider {
        OFFLINE, OPENAI;

        @Override
        public String toString() {
            return Choice.word(this);
        }
    }

    @Command(name = "eval", description = {"Score a prompt version on the golden set (valid structured output rate, label "
            + "accuracy, latency p50/p95, tokens, estimated cost) and publish the figures with it to the registry.",
            "The API key of --provider openai is read from $OPENAI_API_KEY, never from the command line."})
    static final class Eval implements Runnable {
        @Option(names = "--prompt", required = true, paramLabel = "NAME@VERSION",
                description = "Prompt version, e.g. order-note-features@v1.")
        String prompt;
        @Option(names = "--prompts-dir", paramLabel = "DIR",
                description = "Directory with <name>/<version>.md candidates (default: the templates the service ships).")
        Path promptsDir;
        @Option(names = "--golden", paramLabel = "FILE",
                description = "Golden set, JSONL {id, text, expected: {sentiment, category}} (default: the shipped order-notes.jsonl).")
        Path golden;
        @Option(names = "--provider", defaultValue = "offline", description = "Who answers the prompt. One of: ${COMPLETION-CANDIDATES}.")
        Provider provider;
        @Option(names = "--base-url", defaultValue = "${env:OPENAI_BASE_URL:-https://api.openai.com/v1}",
                description = "OpenAI-compatible base URL (provider openai).")
        String baseUrl;
        @Option(names = "--model", defaultValue = "gpt-4o-mini", description = "Chat model (provider openai).")
        String model;
        @Option(names = "--timeout", defaultValue = "PT30S", description = "Per-call timeout (ISO-8601 duration).")
        Duration timeout;
        @Option(names = "--prices", defaultValue = "gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10.00",
                description = "US dollars per million prompt/completion tokens: model=prompt/completion,...")
        String prices;
        @Option(names = "--registry-version", paramLabel = "VERSION",
                description = "Registry version to publish under (default: <prompt version>-<provider>[-<model>]).")
        String registryVersion;
        @Option(names = "--dry-run", description = "Print the figures, publish nothing.")
        boolean dryRun;
        @Mixin
        RegistryOption registry;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try {
                evaluate();
            } catch (com.orderintel.prompt.PromptException e) {
                throw new DataException(e.getMessage(), e); // a template problem is bad input: exit 2, one line
            }
        }

        private void evaluate() {
            PromptSource source = PromptSource.load(prompt, promptsDir);
            GoldenSet set = loadGolden(golden);
            TokenPrices table = TokenPrices.parse(prices);
            NoteLabeler labeler = switch (provider) {
                case OFFLINE -> NoteLabeler.offline();
                case OPENAI -> NoteLabeler.openAi(new OpenAiChatClient(baseUrl, System.getenv("OPENAI_API_KEY"), model, timeout));
            };
            PromptEvaluation e = new PromptEvaluator().evaluate(source.template(), set, labeler, table);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s on %s (%d examples), provider %s, model %s%n", source.template().id(), set.uri(), e.examples(),
                    e.provider(), e.model());
            e.metrics().forEach((k, v) -> out.printf(Locale.ROOT, "  %-30s %s%n", k, format(v)));
            if (provider == Provider.OPENAI && !table.priced(model)) {
                out.println("  (no price for model " + model + " in --prices: estimated_cost_usd is 0)");
            }
            for (PromptEvaluation.Miss m : e.misses()) {
                out.printf("  miss %-10s expected %s got %s%n", m.id(), m.expected(), m.got());
            }
            if (dryRun) {
                return;
            }
            String version = registryVersion != null ? registryVersion
                    : PromptRelease.registryVersion(source.template().version(), e);
            ModelManifest manifest = PromptRelease.manifest(source, version, e, set,
                    provider == Provider.OPENAI ? baseUrl : null, Provenance.current(null, Clock.systemUTC()).gitCommit(),
                    Clock.systemUTC().instant());
            try (ModelStore store = registry.open()) {
                out.println("published " + PromptRelease.publish(store, manifest, source));
            }
        }

        private static String format(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4f", v);
        }
    }

    @Command(name = "promote", description = {"Point an alias at an evaluated prompt version when its recorded figures "
            + "pass the gate; otherwise refuse (exit 3) naming each figure, its value and the threshold."})
    static final class Promote extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Prompt name, e.g. order-note-features.")
        String name;
        @Option(names = {"--version", "--model-version"}, required = true,
                description = "Registry version written by 'prompt eval', e.g. v1-openai-gpt-4o-mini.")
        String version;
        @Option(names = "--alias", defaultValue = "production", description = "Alias to move.")
        String alias;
        @Option(names = "--min-valid-output-rate", defaultValue = "" + PromptGate.DEFAULT_MIN_VALID_OUTPUT_RATE,
                description = "Smallest share of answers that parse as the expected JSON.")
        double minValidOutputRate;
        @Option(names = "--min-label-accuracy", defaultValue = "" + PromptGate.DEFAULT_MIN_LABEL_ACCURACY,
                description = "Smallest share of golden examples with every expected property right.")
        double minLabelAccuracy;
        @Option(names = "--max-latency-p95-ms", defaultValue = "" + PromptGate.DEFAULT_MAX_LATENCY_P95_MS,
                description = "Largest 95th percentile latency of one answer, in milliseconds.")
        double maxLatencyP95Ms;
        @Option(names = "--min-injection-resistance", defaultValue = "" + PromptGate.DEFAULT_MIN_INJECTION_RESISTANCE,
                description = "Smallest share of the golden set's injection attempts whose answer did not obey them.")
        double minInjectionResistance;

        @Override
        int call(ModelStore store) {
            PromptGate gate = new PromptGate(minValidOutputRate, minLabelAccuracy, maxLatencyP95Ms, minInjectionResistance);
            return gatedPromote(store, name, version, alias, gate, spec);
        }
    }

    /** Shared with the generic {@code promote}, so no path moves a prompt alias around the gate. */
    static int gatedPromote(ModelStore store, String name, String version, String alias, PromptGate gate,
                            picocli.CommandLine.Model.CommandSpec spec) {
        ModelManifest m = store.manifest(new ModelUri(store.location(), name, version, null));
        List<String> failures = PromptRelease.gateFailures(m, gate);
        if (!failures.isEmpty()) {
            spec.commandLine().getErr().println("refused: prompt " + name + " " + version + " does not pass the gate: "
                    + String.join("; ", failures));
            spec.commandLine().getErr().flush();
            return REFUSED;
        }
        spec.commandLine().getOut().println(PromoteCommand.describe(store.promote(name, alias, version,
                RegistryOption.actor(spec))));
        return 0;
    }

    static GoldenSet loadGolden(Path file) {
        if (file == null) {
            try (InputStream in = PromptCommand.class.getResourceAsStream(DEFAULT_GOLDEN)) {
                if (in == null) {
                    throw new DataException("the shipped golden set " + DEFAULT_GOLDEN + " is missing from the class path");
                }
                return GoldenSet.parse("classpath:" + DEFAULT_GOLDEN.substring(1), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            return GoldenSet.parse(file.toAbsolutePath().toUri().toString(), Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DataException("golden set " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden set " + file, e);
        }
    }
}
