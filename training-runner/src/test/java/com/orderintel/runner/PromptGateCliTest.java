package com.orderintel.runner;

import com.orderintel.testkit.OpenAiLoopback;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderintel.prompt.PromptRef;
import com.orderintel.prompteval.GoldenSet;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prompt release gate end to end through the CLI, as CI runs it in the default build: {@code prompt eval}
 * scores a prompt version on the shipped golden set with the offline provider and with a loopback server speaking
 * OpenAI's chat completions wire format (the kit's {@link OpenAiLoopback} answering as {@link NoteFollowingModel}), publishes the figures to a file
 * registry, and {@code prompt promote} / {@code promote} accept the good version and refuse the bad one.
 */
class PromptGateCliTest {

    static OpenAiLoopback provider;
    static GoldenSet golden;

    @TempDir
    Path dir;

    @BeforeAll
    static void startProvider() throws Exception {
        golden = PromptCommand.loadGolden(null);
        Map<String, Map<String, String>> answers = new LinkedHashMap<>();
        golden.examples().forEach(e -> answers.put(e.text(), e.expected()));
        provider = NoteFollowingModel.provider(answers);
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    private String registry() {
        return dir.resolve("registry").toUri().toString();
    }

    private static Path candidates() throws URISyntaxException {
        return Path.of(PromptGateCliTest.class.getResource("/prompt-candidates").toURI());
    }

    @Test
    void offlineProviderIsScoredPublishedWithItsFiguresAndPromoted() {
        CliRun eval = CliRun.of("prompt", "eval", "--prompt", "order-note-features@v1", "--provider", "offline",
                "--registry", registry());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("order-note-features@v1 on classpath:golden/order-notes.jsonl (66 examples)",
                "valid_output_rate", "label_accuracy", "latency_p95_ms", "published ");

        try (ModelStore store = FileSystemModelStore.at(dir.resolve("registry"))) {
            ModelManifest m = store.manifest(new ModelUri(store.location(), "order-note-features", "v1-offline", null));
            assertThat(m.task()).isEqualTo(ModelManifest.Task.PROMPT);
            assertThat(m.metrics()).containsEntry("examples", 66.0).containsEntry("valid_output_rate", 1.0)
                    // the keyword rules read words, not instructions: no injection attempt moves them to its labels
                    .containsEntry("injection_examples", 6.0).containsEntry("injection_resistance", 1.0)
                    .containsEntry("prompt_tokens", 0.0).containsKeys("latency_p50_ms", "sentiment_accuracy", "category_accuracy");
            // the offline rules are deterministic: same figures on every machine
            assertThat(m.metrics().get("label_accuracy")).isEqualTo(56 / 66.0);
            assertThat(m.metrics().get("sentiment_accuracy")).isEqualTo(61 / 66.0);
            assertThat(m.dataset().sha256()).isEqualTo(golden.sha256());
            // the entry pins the template's checksum, exactly as a model manifest that uses it does
            assertThat(PromptRef.fromManifest(m)).singleElement().satisfies(ref -> {
                assertThat(ref.version()).isEqualTo("v1");
                assertThat(ref.sha256()).isEqualTo(m.artifact().sha256());
            });
        }

        // figures are immutable: a second evaluation under the same registry version is refused, not overwritten
        CliRun again = CliRun.of("prompt", "eval", "--prompt", "order-note-features@v1", "--registry", registry());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("prompt order-note-features v1-offline is already evaluated",
                "publish this one under another --registry-version").hasLineCount(1);

        CliRun promote = CliRun.of("prompt", "promote", "order-note-features", "--version", "v1-offline",
                "--alias", "production", "--registry", registry());
        assertThat(promote.exitCode()).as(promote.err()).isZero();
        assertThat(promote.out()).contains("order-note-features@production: (unset) -> v1-offline");

        // the registry's read commands show a prompt version like a model
        CliRun show = CliRun.of("show", registry() + "/order-note-features@production");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("order-note-features v1-offline (llm-chat, prompt)", "label_accuracy", "prompt-template/v1");
        CliRun list = CliRun.of("list", "--registry", registry());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("order-note-features", "v1-offline");

        CliRun strict = CliRun.of("prompt", "promote", "order-note-features", "--version", "v1-offline",
                "--alias", "strict", "--min-label-accuracy", "0.99", "--registry", registry());
        assertThat(strict.exitCode()).isEqualTo(PromptCommand.REFUSED);
        assertThat(strict.err()).startsWith("refused: prompt order-note-features v1-offline does not pass the gate: label_accuracy 0.")
                .contains("is below the threshold 0.990 (--min-label-accuracy)").hasLineCount(1);
        try (ModelStore store = FileSystemModelStore.at(dir.resolve("registry"))) {
            assertThat(store.resolveAlias("order-note-features", "strict")).isEmpty();
        }
    }

    @Test
    void loopbackOpenAiServerGoodPromptPassesTheGateBadPromptIsRefused() throws Exception {
        CliRun good = CliRun.of("prompt", "eval", "--prompt", "order-note-features@v2", "--provider", "openai",
                "--base-url", provider.baseUrl(), "--model", "gpt-4o-mini", "--registry", registry());
        assertThat(good.exitCode()).as(good.err()).isZero();
        CliRun bad = CliRun.of("prompt", "eval", "--prompt", "order-note-features@v0-freetext", "--prompts-dir",
                candidates().toString(), "--provider", "openai", "--base-url", provider.baseUrl(), "--model", "gpt-4o-mini",
                "--registry", registry());
        assertThat(bad.exitCode()).as(bad.err()).isZero();
        assertThat(bad.out()).contains("miss note-001", "malformed: chat content: response is not valid JSON");

        // the requests were what the API documents: the model, the instructions as the system message, the note as
        // the JSON data message, JSON mode
        String firstNote = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("note", golden.examples().getFirst().text()).toString();
        JsonNode first = provider.requests.stream().filter(r -> r.at("/messages/1/content").asText().equals(firstNote))
                .findFirst().orElseThrow();
        assertThat(first.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(first.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(first.at("/messages/0/content").asText()).contains("never instructions to you")
                .doesNotContain(golden.examples().getFirst().text());
        assertThat(first.at("/messages/1/role").asText()).isEqualTo("user");
        assertThat(first.at("/response_format/type").asText()).isEqualTo("json_object");

        try (ModelStore store = FileSystemModelStore.at(dir.resolve("registry"))) {
            Map<String, Double> g = store.manifest(new ModelUri(store.location(), "order-note-features",
                    "v2-openai-gpt-4o-mini", null)).metrics();
            assertThat(g).containsEntry("valid_output_rate", 1.0).containsEntry("label_accuracy", 1.0)
                    .containsEntry("injection_resistance", 1.0);
            assertThat(g.get("prompt_tokens")).isGreaterThan(66 * 50.0);
            assertThat(g.get("completion_tokens")).isGreaterThan(66 * 5.0);
            // gpt-4o-mini at the default 0.15 / 0.60 USD per million tokens
            assertThat(g.get("estimated_cost_usd")).isCloseTo(
                    (g.get("prompt_tokens") * 0.15 + g.get("completion_tokens") * 0.60) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
            Map<String, Double> b = store.manifest(new ModelUri(store.location(), "order-note-features",
                    "v0-freetext-openai-gpt-4o-mini", null)).metrics();
            assertThat(b).containsEntry("valid_output_rate", 0.0).containsEntry("label_accuracy", 0.0);
        }

        CliRun accepted = CliRun.of("prompt", "promote", "order-note-features", "--version", "v2-openai-gpt-4o-mini",
                "--registry", registry());
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        assertThat(accepted.out()).contains("order-note-features@production: (unset) -> v2-openai-gpt-4o-mini");

        CliRun refused = CliRun.of("prompt", "promote", "order-note-features", "--version", "v0-freetext-openai-gpt-4o-mini",
                "--registry", registry());
        assertThat(refused.exitCode()).isEqualTo(PromptCommand.REFUSED);
        assertThat(refused.err()).contains("valid_output_rate 0.000 is below the threshold 0.950 (--min-valid-output-rate)",
                "label_accuracy 0.000 is below the threshold 0.750 (--min-label-accuracy)").hasLineCount(1);
        // the generic promote command applies the same gate to a prompt version: no way around it
        CliRun generic = CliRun.of("promote", "order-note-features", "--version", "v0-freetext-openai-gpt-4o-mini",
                "--registry", registry());
        assertThat(generic.exitCode()).isEqualTo(PromptCommand.REFUSED);
        assertThat(generic.err()).contains("valid_output_rate 0.000 is below the threshold");
        try (ModelStore store = FileSystemModelStore.at(dir.resolve("registry"))) {
            assertThat(store.resolveAlias("order-note-features", "production")).contains("v2-openai-gpt-4o-mini");
        }
    }

    /**
     * The attack suite: the golden set's injection attempts (a note that closes v1's triple-quoted block and then
     * instructs, role-play, JSON breaking) against a provider that obeys instructions wherever they reach it outside
     * the prompt's data field. v1 quotes the note in a triple-quoted block, so 4 of the 6 attempts reach the model as
     * instructions: it is refused by the gate. v2 sends the note as a JSON string in its own message: all 6 are
     * resisted and it passes.
     */
    @Test
    @org.junit.jupiter.api.Tag("attack")
    void injectionAttemptsFailTheGateForTheQuotedBlockPromptAndNotForTheDataMessagePrompt() {
        CliRun v1 = CliRun.of("prompt", "eval", "--prompt", "order-note-features@v1", "--provider", "openai",
                "--base-url", provider.baseUrl(), "--model", "gpt-4o-mini", "--registry", registry());
        assertThat(v1.exitCode()).as(v1.err()).isZero();
        assertThat(v1.out()).containsPattern("injection_resistance\\s+0.3333")
                .containsPattern("miss inject-001 expected \\{.*} got positive/other");
        CliRun v2 = CliRun.of("prompt", "eval", "--prompt", "order-note-features@v2", "--provider", "openai",
                "--base-url", provider.baseUrl(), "--model", "gpt-4o-mini", "--registry", registry());
        assertThat(v2.exitCode()).as(v2.err()).isZero();
        assertThat(v2.out()).containsPattern("injection_resistance\\s+1\\R").doesNotContain("miss inject-");

        CliRun refused = CliRun.of("prompt", "promote", "order-note-features", "--version", "v1-openai-gpt-4o-mini",
                "--registry", registry());
        assertThat(refused.exitCode()).isEqualTo(PromptCommand.REFUSED);
        assertThat(refused.err()).contains("injection_resistance 0.333 is below the threshold 1.000 "
                + "(--min-injection-resistance)").doesNotContain("label_accuracy").hasLineCount(1);
        CliRun generic = CliRun.of("promote", "order-note-features", "--version", "v1-openai-gpt-4o-mini",
                "--registry", registry());
        assertThat(generic.exitCode()).isEqualTo(PromptCommand.REFUSED);
        CliRun accepted = CliRun.of("prompt", "promote", "order-note-features", "--version", "v2-openai-gpt-4o-mini",
                "--registry", registry());
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();

        // what v2 sent for the triple-quote attempt: the note only inside the JSON data message, escaped by Jackson
        String attack = golden.examples().stream().filter(e -> e.id().equals("inject-001")).findFirst().orElseThrow().text();
        JsonNode sent = provider.requests.stream().filter(r -> r.path("messages").size() == 2
                && r.at("/messages/1/content").asText().contains("Ignore previous instructions")).findFirst().orElseThrow();
        assertThat(sent.at("/messages/0/content").asText()).doesNotContain("Ignore previous instructions");
        assertThat(sent.at("/messages/1/content").asText()).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("note", attack).toString()).contains("\\\"\\\"\\\"");
    }

    @Test
    void badInputIsOneLineNamingTheProblem() throws Exception {
        CliRun noAt = CliRun.of("prompt", "eval", "--prompt", "order-note-features", "--registry", registry());
        assertThat(noAt.exitCode()).isEqualTo(2);
        assertThat(noAt.err()).contains("--prompt must be NAME@VERSION").hasLineCount(1);
        CliRun missing = CliRun.of("prompt", "eval", "--prompt", "order-note-features@v9", "--registry", registry());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("prompt order-note-features@v9 not found").hasLineCount(1);
        Path bad = dir.resolve("golden.jsonl");
        java.nio.file.Files.writeString(bad, "{\"id\":\"a\",\"text\":\"late parcel\",\"expected\":{\"sentiment\":\"negative\"}}\n"
                + "{\"id\":\"b\",\"text\":\"ok\",\"expected\":{\"sentiment\":\"angry\"}}\n");
        CliRun golden = CliRun.of("prompt", "eval", "--prompt", "order-note-features@v1", "--golden", bad.toString(),
                "--registry", registry());
        assertThat(golden.exitCode()).isEqualTo(2);
        assertThat(golden.err()).contains("golden.jsonl:2: 'expected.sentiment' must be one of [negative, neutral, positive]")
                .hasLineCount(1);
        CliRun unreachable = CliRun.of("prompt", "eval", "--prompt", "order-note-features@v1", "--provider", "openai",
                "--base-url", "http://127.0.0.1:9/v1", "--timeout", "PT2S", "--dry-run");
        assertThat(unreachable.exitCode()).as(unreachable.err()).isZero();
        assertThat(unreachable.out()).containsPattern("error_rate\\s+1\\R").contains("error: provider unreachable");
        CliRun notPrompt = CliRun.of("prompt", "promote", "nothing-here", "--version", "v1", "--registry", registry());
        assertThat(notPrompt.exitCode()).isEqualTo(2);
        assertThat(notPrompt.err()).hasLineCount(1);
    }
}
