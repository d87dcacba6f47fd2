package com.orderintel.registry;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AliasStateTest {

    @Test
    void everyMoveIsLoggedAndSurvivesTheYamlRoundTrip() {
        AliasState s = AliasState.empty()
                .promote("production", "v1", "ann@ci-host via training-runner publish")
                .promote("production", "v2", "bob")
                .rollback("m", "production", "carol");
        AliasState read = AliasState.fromYaml(s.toYaml(), "test");
        assertThat(read.log()).extracting(AliasMove::action, AliasMove::from, AliasMove::to, AliasMove::by).containsExactly(
                org.assertj.core.groups.Tuple.tuple("promote", null, "v1", "ann@ci-host via training-runner publish"),
                org.assertj.core.groups.Tuple.tuple("promote", "v1", "v2", "bob"),
                org.assertj.core.groups.Tuple.tuple("rollback", "v2", "v1", "carol"));
        assertThat(read.log()).allSatisfy(m -> assertThat(m.at()).isNotNull());
        assertThat(read.current()).isEqualTo(Map.of("production", "v1"));
        assertThat(new String(s.toYaml(), StandardCharsets.UTF_8)).contains("at: \"20"); // ISO-8601, not epoch numbers
    }

    @Test
    void anAliasFileWrittenBeforeTheLogExistedStillReads() {
        String old = "current:\n  production: v2\nhistory:\n  production:\n  - v1\n";
        AliasState s = AliasState.fromYaml(old.getBytes(StandardCharsets.UTF_8), "old.yaml");
        assertThat(s.log()).isEmpty();
        assertThat(s.history()).isEqualTo(Map.of("production", List.of("v1")));
        assertThat(s.rollback("m", "production", "x").log()).singleElement()
                .satisfies(m -> assertThat(m.from() + "->" + m.to()).isEqualTo("v2->v1"));
    }

    @Test
    void theActorNamesTheUserAndHostOrTheCiRun() {
        assertThat(AliasMove.currentActor(Map.of("HOSTNAME", "box"), "ann", "training-runner promote"))
                .isEqualTo("ann@box via training-runner promote");
        assertThat(AliasMove.currentActor(Map.of(), "ann", null)).isEqualTo("ann");
        assertThat(AliasMove.currentActor(Map.of("GITHUB_ACTIONS", "true", "GITHUB_ACTOR", "octo", "GITHUB_WORKFLOW", "training",
                "GITHUB_RUN_ID", "42"), "runner", "training-runner publish"))
                .isEqualTo("octo (GitHub Actions: training run 42) via training-runner publish");
    }
}
