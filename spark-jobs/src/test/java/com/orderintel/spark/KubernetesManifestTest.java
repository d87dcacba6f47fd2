package com.orderintel.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked here without a cluster: the Spark operator manifest parses, names this module's main class and
 * the jar path the image puts it at, and its arguments are a valid {@code score} command line for this CLI.
 */
class KubernetesManifestTest {

    @Test
    void theSparkApplicationRunsThisCliFromTheImage() throws Exception {
        JsonNode app = new ObjectMapper(new YAMLFactory()).readTree(Path.of("k8s", "score-sparkapplication.yaml").toFile());
        assertThat(app.get("apiVersion").asText()).isEqualTo("sparkoperator.k8s.io/v1beta2");
        assertThat(app.get("kind").asText()).isEqualTo("SparkApplication");
        JsonNode spec = app.get("spec");
        assertThat(spec.get("mainClass").asText()).isEqualTo(SparkJobs.class.getName());
        String jar = spec.get("mainApplicationFile").asText();
        assertThat(jar).startsWith("local://");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains(jar.substring("local://".length()));
        assertThat(spec.get("sparkVersion").asText()).isEqualTo(org.apache.spark.package$.MODULE$.SPARK_VERSION());

        List<String> args = new ArrayList<>();
        spec.get("arguments").forEach(a -> args.add(a.asText()));
        CommandLine.ParseResult parsed = new CommandLine(new SparkJobs()).setCaseInsensitiveEnumValuesAllowed(true)
                .parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("score");
        assertThat(parsed.subcommand().matchedOptionValue("--data", "")).startsWith("s3a://");
        assertThat(spec.get("executor").get("instances").asInt()).isPositive();
        assertThat(spec.toString()).doesNotContainIgnoringCase("secretAccessKey").doesNotContain("AKIA");
    }
}
