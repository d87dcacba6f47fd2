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

/**
 * The Helm chart rendered and linted by real Helm (helm-java ships the Helm binary), with default and
 * non-default values, asserting on the parsed manifests. docker-compose.yml is checked by .ci/check-deploy.
 */
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

    /** name -> env entry of the first container of a pod spec. */
    private static Map<String, JsonNode> env(JsonNode podSpec) {
        Map<String, JsonNode> env = new HashMap<>();
        podSpec.at("/containers/0/env").forEach(e -> env.put(e.get("name").asText(), e));
        return env;
    }

    @Test
    void defaultValuesRenderADeploymentWithProbesResourcesAndNonRootSecurity() throws IOException {
        List<JsonNode> docs = render(c -> c);
        assertThat(docs).extracting(d -> d.get("kind").asText())
                .contains("Deployment", "Service", "ServiceAccount", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget")
                .doesNotContain("ServiceMonitor", "PrometheusRule", "CronJob", "Secret");
        JsonNode deployment = kind(docs, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo("http");
        }
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("500m");
        assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("768Mi");
        assertThat(container.at("/resources/limits/cpu").asText()).isEqualTo("2");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("1536Mi");
        assertThat(container.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
        // read-only root: the JVM and Tomcat write to /tmp, an emptyDir
        assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
        assertThat(pod.at("/volumes/0/name").asText()).isEqualTo(container.at("/volumeMounts/0/name").asText());
        assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();
        JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
        assertThat(annotations.get("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.get("prometheus.io/path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(annotations.get("prometheus.io/port").asText()).isEqualTo("8080");
        assertThat(container.at("/envFrom/0/configMapRef/name").asText()).isEqualTo("advisor-ai-advisor-service");
        assertThat(deployment.at("/spec/replicas").isMissingNode()).as("replicas left to the HPA").isTrue();
        JsonNode hpa = kind(docs, "HorizontalPodAutoscaler");
        assertThat(hpa.get("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(deployment.at("/metadata/name").asText());
        assertThat(kind(docs, "PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(kind(docs, "Service").at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(pod.at("/serviceAccountName").asText()).isEqualTo(kind(docs, "ServiceAccount").at("/metadata/name").asText());
        // no model URI given: none is set (NOTES.txt warns), and no credentials are referenced
        assertThat(env(pod)).doesNotContainKeys("MODEL_URI", "MODEL_URI_DEMAND", "MODEL_URI_ANOMALY");
        assertThat(pod.findValues("secretKeyRef")).isEmpty();
        assertThat(configMap(docs)).containsEntry("ADVISOR_EVENTS_ENABLED", "true").containsEntry("AWS_REGION", "us-east-1")
                .containsEntry("SPRING_CLOUD_VAULT_ENABLED", "false").doesNotContainKey("MODEL_URI");
    }

    @Test
    void nonDefaultValuesReachTheManifestsAndSecretsAreReferencedNotEmbedded() throws IOException {
        String modelUri = "s3://shop-models/platform/order-anomaly@production";
        List<JsonNode> docs = render(c -> c
                .set("modelUri", modelUri)
                .set("models.demandUri", "s3://shop-models/platform/3f2a9c1/demand-forecast")
                .set("autoscaling.enabled", "false")
                .set("replicaCount", "3")
                .set("resources.limits.memory", "2Gi")
                .set("s3.existingSecret", "registry-creds")
                .set("s3.endpoint", "http://minio:9000")
                .set("s3.pathStyle", "true")
                .set("rabbitmq.existingSecret", "rabbit-creds")
                .set("database.enabled", "true")
                .set("database.url", "jdbc:postgresql://postgres:5432/orders")
                .set("database.existingSecret", "db-creds")
                .set("redis.enabled", "true")
                .set("vault.enabled", "true")
                .set("vault.uri", "https://vault.vault.svc:8200")
                .set("vault.authentication", "TOKEN")
                .set("vault.existingSecret", "vault-token")
                .set("metrics.serviceMonitor.enabled", "true")
                .set("metrics.prometheusRule.enabled", "true")
                .set("metrics.dashboard.enabled", "true")
                .set("cronJob.enabled", "true"));
        JsonNode deployment = kind(docs, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        Map<String, JsonNode> env = env(pod);
        assertThat(env.get("MODEL_URI").get("value").asText()).isEqualTo(modelUri);
        assertThat(env.get("MODEL_URI_DEMAND").get("value").asText()).isEqualTo("s3://shop-models/platform/3f2a9c1/demand-forecast");
        assertThat(env).doesNotContainKey("MODEL_URI_ANOMALY");
        assertThat(configMap(docs)).containsEntry("S3_ENDPOINT_URL", "http://minio:9000").containsEntry("S3_PATH_STYLE", "true")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/orders")
                .containsEntry("SPRING_DATA_REDIS_HOST", "redis").containsEntry("SPRING_DATA_REDIS_PORT", "6379")
                .containsEntry("SPRING_PROFILES_ACTIVE", "vault").containsEntry("SPRING_CLOUD_VAULT_AUTHENTICATION", "TOKEN")
                .containsEntry("SPRING_CLOUD_VAULT_URI", "https://vault.vault.svc:8200");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(pod.at("/containers/0/resources/limits/memory").asText()).isEqualTo("2Gi");
        assertThat(kind(docs, "HorizontalPodAutoscaler")).isNull();

        // Credentials: every one is a secretKeyRef to a named existing Secret, never a literal value.
        Map<String, String> secretRefs = Map.of(
                "AWS_ACCESS_KEY_ID", "registry-creds", "AWS_SECRET_ACCESS_KEY", "registry-creds",
                "SPRING_RABBITMQ_USERNAME", "rabbit-creds", "SPRING_RABBITMQ_PASSWORD", "rabbit-creds",
                "SPRING_DATASOURCE_USERNAME", "db-creds", "SPRING_DATASOURCE_PASSWORD", "db-creds",
                "SPRING_CLOUD_VAULT_TOKEN", "vault-token");
        JsonNode cronPod = kind(docs, "CronJob").at("/spec/jobTemplate/spec/template/spec");
        for (Map<String, JsonNode> e : List.of(env, env(cronPod))) {
            secretRefs.forEach((name, secret) -> {
                assertThat(e.get(name)).as(name).isNotNull();
                assertThat(e.get(name).has("value")).as(name + " has no literal value").isFalse();
                assertThat(e.get(name).at("/valueFrom/secretKeyRef/name").asText()).as(name).isEqualTo(secret);
            });
        }
        assertThat(kind(docs, "Secret")).as("the chart renders no Secret").isNull();
        assertThat(configMap(docs).keySet()).as("no credential in the ConfigMap")
                .noneMatch(k -> k.contains("PASSWORD") || k.contains("SECRET") || k.contains("TOKEN"));

        assertThat(kind(docs, "ServiceMonitor").get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(kind(docs, "ServiceMonitor").at("/spec/endpoints/0/path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(kind(docs, "ServiceMonitor").at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(kind(docs, "CronJob").at("/spec/schedule").asText()).isEqualTo("0 2 * * *");
        assertThat(cronPod.at("/containers/0/args/0").asText()).isEqualTo("infer");
        assertThat(cronPod.at("/containers/0/image").asText()).startsWith("ghcr.io/shop/training-runner:");
        assertThat(cronPod.at("/restartPolicy").asText()).isEqualTo("Never");
        assertThat(cronPod.at("/containers/0/securityContext/runAsNonRoot").asBoolean()).isTrue();

        // The PrometheusRule carries exactly the rules promtool checks and unit-tests in CI.
        JsonNode standalone = YAML.readTree(Files.readString(CHART.resolve("files/alerts.yaml")));
        JsonNode rule = kind(docs, "PrometheusRule");
        assertThat(rule.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.get("spec")).isEqualTo(standalone);
        assertThat(rule.at("/spec/groups/0/rules").findValuesAsText("alert")).contains("AdvisorHighAnomalyRate",
                "AdvisorModelLoadFailure", "AdvisorHighLatencyP99", "AdvisorStaleModel", "AdvisorFeatureDrift");
        // The dashboard ConfigMap carries files/dashboard.json unchanged (compose mounts the same file).
        JsonNode dashboardCm = docs.stream().filter(d -> d.at("/metadata/name").asText().endsWith("-dashboard")).findFirst().orElseThrow();
        assertThat(dashboardCm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(dashboardCm.at("/data/ai-advisor-service.json").asText()))
                .isEqualTo(json.readTree(Files.readString(CHART.resolve("files/dashboard.json"))));
    }

    @Test
    void valuesThatBreakTheSchemaAreRejected() {
        assertThatThrownBy(() -> render(c -> c.set("replicaCount", "many")))
                .hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> render(c -> c.set("modelUri", "http://example/model")))
                .hasMessageContaining("modelUri");
        assertThatThrownBy(() -> render(c -> c.set("autoscaling.enabled", "yes")))
                .hasMessageContaining("autoscaling").hasMessageContaining("enabled");
        assertThatThrownBy(() -> render(c -> c.set("resources.requests.memory", "lots")))
                .hasMessageContaining("memory");
        assertThatThrownBy(() -> render(c -> c.set("vault.authentication", "LDAP")))
                .hasMessageContaining("authentication");
        // a misspelt key is an error, not a silently ignored value
        assertThatThrownBy(() -> render(c -> c.set("modelURI", "s3://models/order-anomaly@production")))
                .hasMessageContaining("modelURI");
    }

    @Test
    void enabledFeaturesWithoutTheirRequiredSettingsFailWithTheSettingNamed() {
        assertThatThrownBy(() -> render(c -> c.set("database.enabled", "true")))
                .hasMessageContaining("database.url is required");
        assertThatThrownBy(() -> render(c -> c.set("vault.enabled", "true")))
                .hasMessageContaining("vault.uri is required");
    }
}
