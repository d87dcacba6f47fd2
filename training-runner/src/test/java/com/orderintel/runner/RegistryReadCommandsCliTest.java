package com.orderintel.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** list --output json, history and show on a filesystem registry with two published versions. */
class RegistryReadCommandsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    String registry;

    private Path modelDir(String name, String version, byte[] artifact) throws Exception {
        return ModelDirs.write(dir.resolve(name + "-" + version), name, version, artifact);
    }

    private CliRun ok(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    @BeforeEach
    void twoVersions() throws Exception {
        registry = dir.resolve("reg").toUri().toString();
        ok("publish", "--model-dir", modelDir("order-anomaly", "aaa111", new byte[] {1}).toString(), "--registry", registry,
                "--promote", "staging");
        ok("publish", "--model-dir", modelDir("order-anomaly", "bbb222", new byte[] {2, 2}).toString(), "--registry", registry);
    }

    @Test
    void listAsJson() throws Exception {
        ok("promote", "order-anomaly", "--version", "bbb222", "--registry", registry);
        JsonNode list = JSON.readTree(ok("list", "--output", "json", "--registry", registry).out());
        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(2);
        JsonNode b = list.findParents("version").stream().filter(n -> n.get("version").asText().equals("bbb222")).findFirst().orElseThrow();
        assertThat(b.get("model").asText()).isEqualTo("order-anomaly");
        assertThat(b.get("uri").asText()).isEqualTo(registry.replaceAll("/$", "") + "/bbb222/order-anomaly");
        assertThat(b.get("created_at").asText()).isEqualTo("2026-11-25T00:00:00Z");
        assertThat(b.get("algorithm").asText()).isEqualTo("isolation-forest");
        assertThat(b.get("aliases")).extracting(JsonNode::asText).containsExactly("production");
        assertThat(b.get("metrics").get("precision").asDouble()).isEqualTo(1.0);
        // the table stays the default
        assertThat(ok("list", "--registry", registry).out()).startsWith("MODEL ");
        // an empty registry is an empty array, not an error
        assertThat(ok("list", "-o", "json", "--registry", dir.resolve("empty").toUri().toString()).out().strip()).isEqualTo("[ ]");
    }

    @Test
    void historyShowsEveryMoveWithWhenFromToAndBy() throws Exception {
        ok("promote", "order-anomaly", "--alias", "production", "--version", "aaa111", "--registry", registry);
        ok("promote", "order-anomaly", "--alias", "production", "--version", "bbb222", "--registry", registry);
        ok("rollback", "order-anomaly", "--alias", "production", "--registry", registry);

        CliRun table = ok("history", "order-anomaly", "--registry", registry);
        List<String> lines = table.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("WHEN").contains("ALIAS", "ACTION", "FROM", "TO", "BY");
        assertThat(lines).filteredOn(l -> l.matches("^20\\d\\d-.*")).hasSize(4);
        assertThat(lines.get(1)).contains("staging", "promote", "(unset)", "aaa111", "via training-runner publish");
        assertThat(lines.get(2)).contains("production", "promote", "(unset)", "aaa111", "via training-runner promote");
        assertThat(lines.get(3)).contains("production", "promote", "aaa111", "bbb222");
        assertThat(lines.get(4)).contains("production", "rollback", "bbb222", "aaa111", "via training-runner rollback");
        assertThat(lines).contains("now: order-anomaly@production -> aaa111", "now: order-anomaly@staging -> aaa111");

        JsonNode json = JSON.readTree(ok("history", "order-anomaly", "--alias", "production", "-o", "json", "--registry", registry).out());
        assertThat(json.get("moves")).hasSize(3);
        JsonNode last = json.get("moves").get(2);
        assertThat(last.get("action").asText()).isEqualTo("rollback");
        assertThat(last.get("from").asText()).isEqualTo("bbb222");
        assertThat(last.get("to").asText()).isEqualTo("aaa111");
        assertThat(last.get("at").asText()).matches("20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(last.get("by").asText()).contains(System.getProperty("user.name")).endsWith("via training-runner rollback");
        assertThat(json.get("current").get("production").asText()).isEqualTo("aaa111");
    }

    @Test
    void historyOfAnAliasFileFromBeforeTheLogShowsTheEarlierVersions() throws Exception {
        Files.writeString(dir.resolve("reg/aliases/order-anomaly.yaml"),
                "current:\n  production: bbb222\nhistory:\n  production:\n  - aaa111\n");
        CliRun run = ok("history", "order-anomaly", "--registry", registry);
        assertThat(run.out()).contains("(before the log)").contains("now: order-anomaly@production -> bbb222");
        assertThat(run.out().lines().filter(l -> l.startsWith("(before the log)"))).singleElement().asString().contains("aaa111");
    }

    @Test
    void historyOfAModelWithoutAliasesIsAOneLineError() {
        CliRun run = CliRun.of("history", "demand-forecast", "--registry", registry);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("model 'demand-forecast' has no aliases in registry").hasLineCount(1);
    }

    @Test
    void showSummarisesTheManifestOfAnAliasAVersionOrADirectory() throws Exception {
        String alias = registry.replaceAll("/$", "") + "/order-anomaly@staging";
        CliRun run = ok("show", alias, "--verify");
        assertThat(run.out().lines().findFirst().orElseThrow()).isEqualTo("order-anomaly aaa111 (isolation-forest, anomaly)");
        assertThat(run.out()).contains("/aaa111/order-anomaly", "aliases            staging", "commit abc",
                "file:///data.csv  rows 15  sha256 " + "0".repeat(64), "model.bin  test/v1  1 bytes  sha256 ", "(verified)",
                "n_estimators=200", "precision          1.000000", "avg_processing_ms  NUMERIC");

        JsonNode json = JSON.readTree(ok("show", registry.replaceAll("/$", "") + "/bbb222/order-anomaly", "-o", "json").out());
        assertThat(json.get("manifest").get("version").asText()).isEqualTo("bbb222");
        assertThat(json.get("manifest").get("artifact").get("size").asInt()).isEqualTo(2);
        assertThat(json.get("aliases")).isEmpty();

        assertThat(ok("show", dir.resolve("order-anomaly-bbb222").toString(), "--verify").out())
                .contains("order-anomaly bbb222", "(verified)");
    }

    @Test
    void showRefusesAnUnsetAliasAndATamperedArtifactInOneLine() throws Exception {
        CliRun unset = CliRun.of("show", registry.replaceAll("/$", "") + "/order-anomaly@production");
        assertThat(unset.exitCode()).isEqualTo(2);
        assertThat(unset.err()).contains("alias 'production' of model 'order-anomaly' is not set").hasLineCount(1);

        Files.write(dir.resolve("reg/aaa111/order-anomaly/model.bin"), new byte[] {9});
        assertThat(CliRun.of("show", registry.replaceAll("/$", "") + "/aaa111/order-anomaly").exitCode()).isZero(); // manifest only
        CliRun tampered = CliRun.of("show", registry.replaceAll("/$", "") + "/aaa111/order-anomaly", "--verify");
        assertThat(tampered.exitCode()).isEqualTo(2);
        assertThat(tampered.err()).contains("corrupted or tampered with").hasLineCount(1);
    }
}
