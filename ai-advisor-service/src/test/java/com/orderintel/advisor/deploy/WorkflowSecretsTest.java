package com.orderintel.advisor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GitHub workflows as a branch build sees them (actionlint in .ci/check-deploy checks their syntax): a job that
 * can run on a feature branch builds branch code, so it must not receive a production secret or write access; every
 * action is pinned by full commit sha; every job states its token permissions.
 */
@Tag("attack")
class WorkflowSecretsTest {

    private static final Path WORKFLOWS = Path.of("..").toAbsolutePath().normalize().resolve(".github/workflows");
    private static final Pattern SECRET = Pattern.compile("secrets\\.([A-Za-z0-9_]+)");
    private static final Pattern PINNED = Pattern.compile("[^@]+@[0-9a-f]{40}");
    /** Secrets a branch build may name: OIDC role ARNs of read-only roles (no credential, the role's trust policy decides). */
    private static final List<String> BRANCH_SAFE = List.of("MODEL_REGISTRY_READ_ROLE_ARN", "TRAINING_READ_ROLE_ARN");

    private static Map<String, JsonNode> workflows() throws IOException {
        Map<String, JsonNode> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                all.put(f.getFileName().toString(), new YAMLMapper().readTree(f.toFile()));
            }
        }
        assertThat(all).containsKeys("ci.yml", "training.yml");
        return all;
    }

    /** A job runs only on main when its condition compares github.ref with main and it deploys to `production`. */
    private static boolean mainOnlyInProtectedEnvironment(JsonNode job) {
        return job.path("if").asText().replace(" ", "").contains("github.ref=='refs/heads/main'")
                && "production".equals(job.path("environment").asText(job.at("/environment/name").asText()));
    }

    @Test
    void branchJobsNameNoProductionSecretAndDatabaseAndWritesStayInTheProtectedEnvironment() throws IOException {
        List<String> problems = new ArrayList<>();
        workflows().forEach((file, wf) -> wf.path("jobs").properties().forEach(e -> {
            String job = file + " job " + e.getKey();
            if (mainOnlyInProtectedEnvironment(e.getValue())) {
                return;
            }
            String text = e.getValue().toString();
            Matcher m = SECRET.matcher(text);
            while (m.find()) {
                if (!BRANCH_SAFE.contains(m.group(1))) {
                    problems.add(job + " (runs on branches) receives secret " + m.group(1));
                }
            }
            e.getValue().path("steps").forEach(step -> {
                String run = step.path("run").asText("");
                for (String write : List.of("aws s3 cp", "aws s3 sync", "aws s3 rm", "dataset export", "$R publish", "$R promote")) {
                    if (run.contains(write)) {
                        problems.add(job + " (runs on branches) runs '" + write + "'");
                    }
                }
            });
            e.getValue().path("permissions").properties().forEach(p -> {
                if ("write".equals(p.getValue().asText()) && !"id-token".equals(p.getKey())) {
                    problems.add(job + " (runs on branches) has " + p.getKey() + ": write");
                }
            });
        }));
        assertThat(problems).isEmpty();
        // the jobs that do reach production exist, in the protected environment
        JsonNode jobs = workflows().get("training.yml").path("jobs");
        assertThat(mainOnlyInProtectedEnvironment(jobs.path("snapshot"))).as("snapshot: main + production").isTrue();
        assertThat(mainOnlyInProtectedEnvironment(jobs.path("publish"))).as("publish: main + production").isTrue();
        assertThat(jobs.path("snapshot").toString()).contains("secrets.SHOP_DB_PASSWORD", "dataset export");
    }

    @Test
    void everyActionIsPinnedByFullCommitShaAndEveryJobStatesItsPermissions() throws IOException {
        List<String> problems = new ArrayList<>();
        workflows().forEach((file, wf) -> {
            assertThat(wf.path("permissions").path("contents").asText()).as(file + " top-level permissions").isEqualTo("read");
            wf.path("jobs").properties().forEach(e -> {
                if (e.getValue().path("permissions").isMissingNode() && wf.path("jobs").size() > 1) {
                    problems.add(file + " job " + e.getKey() + " has no permissions block");
                }
                e.getValue().path("steps").forEach(step -> {
                    String uses = step.path("uses").asText("");
                    if (!uses.isEmpty() && !uses.startsWith("./") && !PINNED.matcher(uses).matches()) {
                        problems.add(file + " job " + e.getKey() + " uses " + uses + " (not pinned by commit sha)");
                    }
                });
            });
        });
        assertThat(problems).isEmpty();
    }
}
