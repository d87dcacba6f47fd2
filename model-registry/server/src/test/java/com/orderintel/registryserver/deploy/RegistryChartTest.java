package com.orderintel.registryserver.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** helm/registry-server rendered and linted by real Helm (helm-java), asserting on the parsed manifests. */
class RegistryChartTest {

    private static final Path CHART = Path.of("../../helm/registry-server").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new YAMLMapper();

    private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws IOException {
        String out = values.apply(new Helm(CHART).template().withName("registry").withNamespace("shop")).call();
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(out)) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && n.has("kind")) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    private static Map<String, JsonNode> env(List<JsonNode> docs) {
        JsonNode deployment = docs.stream().filter(d -> d.get("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        Map<String, JsonNode> env = new HashMap<>();
        deployment.at("/spec/template/spec/containers/0/env").forEach(e -> env.put(e.get("name").asText(), e));
        return env;
    }

    @Test
    void lintsStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void productionIsGuardedAndCredentialsComeFromSecrets() throws IOException {
        List<JsonNode> docs = render(c -> c.set("registryUri", "s3://models").set("users.existingSecret", "registry-users")
                .set("publicUrl", "https://registry.shop.example").set("s3.existingSecret", "s3-creds")
                .set("capture.enabled", "true").set("capture.url", "jdbc:postgresql://pg:5432/orders").set("capture.existingSecret", "pg"));
        assertThat(docs).extracting(d -> d.get("kind").asText()).contains("Deployment", "Service", "ServiceAccount");
        Map<String, JsonNode> env = env(docs);
        assertThat(env.get("REGISTRY_APPROVAL").get("value").asText()).isEqualTo("production");
        assertThat(env.get("REGISTRY_URI").get("value").asText()).isEqualTo("s3://models");
        assertThat(env.get("REGISTRY_PUBLIC_URL").get("value").asText()).isEqualTo("https://registry.shop.example");
        assertThat(env.get("REGISTRY_USERS").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("registry-users");
        assertThat(env.get("REGISTRY_CAPTURE_PASSWORD").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("pg");
        assertThat(env.get("AWS_SECRET_ACCESS_KEY").at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("AWS_SECRET_ACCESS_KEY");
        JsonNode container = docs.stream().filter(d -> d.get("kind").asText().equals("Deployment")).findFirst().orElseThrow()
                .at("/spec/template/spec/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(docs.stream().filter(d -> d.get("kind").asText().equals("Secret"))).isEmpty();
    }

    private static Path values(Path dir, String yaml) throws IOException {
        return java.nio.file.Files.writeString(dir.resolve("values-" + yaml.hashCode() + ".yaml"), yaml);
    }

    @Test
    void theGuardCanBeLiftedAndBadValuesAreRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path none = values(dir, "registryUri: file:///r\napproval: {aliases: []}\n");
        assertThat(env(render(c -> c.withValuesFile(none))).get("REGISTRY_APPROVAL").get("value").asText()).isEmpty();
        Path two = values(dir, "registryUri: file:///r\napproval: {aliases: [production, staging]}\n");
        assertThat(env(render(c -> c.withValuesFile(two))).get("REGISTRY_APPROVAL").get("value").asText()).isEqualTo("production,staging");
        assertThatThrownBy(() -> render(c -> c.set("registryUri", "http://nope"))).hasMessageContaining("registryUri");
        assertThatThrownBy(() -> render(c -> c.set("registryUri", "s3://m").set("capture.enabled", "true")))
                .hasMessageContaining("capture.url is required");
    }
}
