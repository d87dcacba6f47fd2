package com.orderintel.advisor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Helm chart rendered and linted by real Helm (helm-java ships the Helm binary), and docker-compose.yml checked. */
class HelmChartTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path CHART = REPO.resolve("helm/ai-advisor-service");
    private static final ObjectMapper YAML = new YAMLMapper();

    private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws IOException {
        String out = values.apply(new Helm(CHART).template().withName("advisor").withNamespace("shop")).call();
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

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.get("kind").asText().equals(kind)).findFirst().orElse(null);
    }

    private static Map<String, String> configMap(List<JsonNode> docs) {
        Map<String, String> env = new HashMap<>();
        docs.stream().filter(d -> d.get("kind").asText().equals("ConfigMap"))
                .filter(d -> !d.at("/metadata/name").asText().endsWith("-dashboard")).findFirst().orElseThrow()
                .get("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    @Test
    void lintsStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultValuesRenderADeploymentWithProbesResourcesAndNonRootSecurity() throws IOException {
        List<JsonNode> docs = render(c -> c);
        assertThat(docs).extracting(d -> d.get("kind").asText())
                .contains("Deployment", "Service", "ServiceAccount", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget")
                .doesNotContain("ServiceMonitor", "PrometheusRule", "CronJob", "Secret");
        JsonNode container = kind(docs, "Deployment").at("/spec/template/spec/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("/startupProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("768Mi");
        assertThat(container.at("/resources/limits/cpu").asText()).isEqualTo("2");
        assertThat(container.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/envFrom/0/configMapRef/name").asText()).isEqualTo("advisor-ai-advisor-service");
        assertThat(kind(docs, "Deployment").at("/spec/replicas").isMissingNode()).as("replicas left to the HPA").isTrue();
        assertThat(configMap(docs)).containsEntry("MODEL_URI", "").containsEntry("ADVISOR_EVENTS_ENABLED", "true");
    }

    @Test
    void nonDefaultValuesReachTheManifestsAndSecretsAreReferencedNotEmbedded() throws IOException {
        List<JsonNode> docs = render(c -> c
                .set("modelUri", "s3://shop-models/platform/order-anomaly@production")
                .set("autoscaling.enabled", "false")
                .set("replicaCount", "3")
                .set("s3.existingSecret", "registry-creds")
                .set("s3.endpoint", "http://minio:9000")
                .set("rabbitmq.existingSecret", "rabbit-creds")
                .set("metrics.serviceMonitor.enabled", "true")
                .set("metrics.prometheusRule.enabled", "true")
                .set("metrics.dashboard.enabled", "true")
                .set("cronJob.enabled", "true"));
        Map<String, String> env = configMap(docs);
        assertThat(env).containsEntry("MODEL_URI", "s3://shop-models/platform/order-anomaly@production")
                .containsEntry("S3_ENDPOINT_URL", "http://minio:9000");
        JsonNode deployment = kind(docs, "Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(kind(docs, "HorizontalPodAutoscaler")).isNull();
        JsonNode envVars = deployment.at("/spec/template/spec/containers/0/env");
        assertThat(envVars.findValues("secretKeyRef")).extracting(n -> n.get("name").asText())
                .contains("registry-creds", "rabbit-creds");
        assertThat(kind(docs, "Secret")).as("no secret values in the chart").isNull();
        assertThat(kind(docs, "ServiceMonitor").at("/spec/endpoints/0/path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(kind(docs, "CronJob").at("/spec/jobTemplate/spec/template/spec/containers/0/args/0").asText()).isEqualTo("infer");

        // The PrometheusRule carries exactly the rules promtool checks in CI.
        JsonNode standalone = YAML.readTree(Files.readString(CHART.resolve("files/alerts.yaml")));
        assertThat(kind(docs, "PrometheusRule").get("spec")).isEqualTo(standalone);
        JsonNode dashboard = new ObjectMapper().readTree(docs.stream()
                .filter(d -> d.at("/metadata/name").asText().endsWith("-dashboard")).findFirst().orElseThrow()
                .at("/data/ai-advisor-service.json").asText());
        assertThat(dashboard.get("title").asText()).isEqualTo("ai-advisor-service");
    }

    @Test
    void valuesThatBreakTheSchemaAreRejected() {
        assertThatThrownBy(() -> render(c -> c.set("replicaCount", "many")))
                .hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> render(c -> c.set("modelUri", "http://example/model")))
                .hasMessageContaining("modelUri");
    }

    @Test
    void composeFileParsesAndEveryServiceHasAnImageOrABuildContext() throws IOException {
        JsonNode compose = YAML.readTree(Files.readString(REPO.resolve("docker-compose.yml")));
        JsonNode services = compose.get("services");
        assertThat(services.size()).isGreaterThanOrEqualTo(9);
        List<String> problems = new ArrayList<>();
        services.properties().forEach(e -> {
            JsonNode s = e.getValue();
            if (s.has("build")) {
                Path context = REPO.resolve(s.at("/build/context").asText("."));
                Path dockerfile = context.resolve(s.at("/build/dockerfile").asText("Dockerfile"));
                if (!Files.isDirectory(context) || !Files.isRegularFile(dockerfile)) {
                    problems.add(e.getKey() + ": build context or Dockerfile missing (" + dockerfile + ")");
                }
            } else if (!s.hasNonNull("image") || s.get("image").asText().isBlank()) {
                problems.add(e.getKey() + ": neither image nor build");
            }
            for (JsonNode v : s.path("volumes")) {
                String src = v.asText().split(":")[0];
                if (src.startsWith("./") && !Files.exists(REPO.resolve(src))) {
                    problems.add(e.getKey() + ": mounted file " + src + " does not exist");
                }
            }
        });
        assertThat(problems).isEmpty();
        assertThat(services.at("/advisor/environment/MODEL_URI_ANOMALY").asText()).isEqualTo("s3://models/order-anomaly@production");
    }
}
