package com.orderintel.advisor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import com.orderintel.testkit.RenderedManifests;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
        return RenderedManifests.parse(values.apply(new Helm(CHART).template().withName("advisor").withNamespace("shop")).call());
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
                .contains("Deployment", "Service", "ServiceAccount", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                        "NetworkPolicy")
                .doesNotContain("ServiceMonitor", "PrometheusRule", "CronJob", "Secret");
        JsonNode deployment = kind(docs, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        // actuator on its own port (MANAGEMENT_SERVER_PORT): probes, scrape annotations and the ServiceMonitor use it
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo("management");
        }
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/ports/1/name").asText()).isEqualTo("management");
        assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(8081);
        assertThat(configMap(docs)).containsEntry("MANAGEMENT_SERVER_PORT", "8081");
        JsonNode servicePorts = kind(docs, "Service").at("/spec/ports");
        assertThat(servicePorts.findValuesAsText("name")).containsExactly("http", "management", "grpc");
        assertThat(servicePorts.get(1).get("port").asInt()).isEqualTo(8081);
        assertThat(servicePorts.get(1).get("targetPort").asText()).isEqualTo("management");
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
        assertThat(annotations.get("prometheus.io/port").asText()).isEqualTo("8081");
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
        // no region set: the AWS SDK's region chain decides (IRSA injects AWS_REGION); no endpoint override
        assertThat(configMap(docs)).containsEntry("ADVISOR_EVENTS_ENABLED", "true")
                .containsEntry("SPRING_CLOUD_VAULT_ENABLED", "false")
                .containsEntry("ADVISOR_MODELS_WATCH_INTERVAL", "30s") // every replica follows promote/rollback
                .doesNotContainKeys("MODEL_URI", "AWS_REGION", "AWS_ENDPOINT_URL_S3", "S3_ENDPOINT_URL", "ADVISOR_LLM_PROVIDER",
                        "ADVISOR_CAPTURE_ENABLED", "ADVISOR_EVENTS_SHARED_CLAIMS"); // no database, no Redis: nothing to share
    }

    @Test
    void grpcPortRendersInServiceContainerAndNetworkPolicyAndTlsMountsTheSecret() throws IOException {
        List<JsonNode> docs = render(c -> c.set("networkPolicy.enabled", "true"));
        JsonNode container = kind(docs, "Deployment").at("/spec/template/spec/containers/0");
        assertThat(container.at("/ports/2/name").asText()).isEqualTo("grpc");
        assertThat(container.at("/ports/2/containerPort").asInt()).isEqualTo(8090);
        JsonNode grpc = kind(docs, "Service").at("/spec/ports/2");
        assertThat(grpc.get("name").asText()).isEqualTo("grpc");
        assertThat(grpc.get("port").asInt()).isEqualTo(8090);
        assertThat(grpc.get("targetPort").asText()).isEqualTo("grpc");
        assertThat(kind(docs, "NetworkPolicy").at("/spec/ingress/0/ports").findValuesAsText("port")).contains("http", "grpc");
        assertThat(configMap(docs)).containsEntry("ADVISOR_GRPC_PORT", "8090").doesNotContainKey("ADVISOR_GRPC_CERTCHAIN");

        List<JsonNode> tls = render(c -> c.set("grpc.tls.existingSecret", "advisor-grpc-tls"));
        JsonNode pod = kind(tls, "Deployment").at("/spec/template/spec");
        assertThat(pod.get("volumes").findValuesAsText("secretName")).contains("advisor-grpc-tls");
        assertThat(pod.at("/containers/0/volumeMounts").findValuesAsText("mountPath")).contains("/etc/advisor/grpc-tls");
        assertThat(configMap(tls)).containsEntry("ADVISOR_GRPC_CERTCHAIN", "/etc/advisor/grpc-tls/tls.crt")
                .containsEntry("ADVISOR_GRPC_PRIVATEKEY", "/etc/advisor/grpc-tls/tls.key");

        List<JsonNode> off = render(c -> c.set("grpc.enabled", "false"));
        assertThat(kind(off, "Service").at("/spec/ports").findValuesAsText("name")).doesNotContain("grpc");
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
                .set("s3.endpoint", "http://s3proxy:80")
                .set("s3.region", "eu-central-1")
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
        assertThat(configMap(docs)).containsEntry("AWS_ENDPOINT_URL_S3", "http://s3proxy:80").containsEntry("S3_PATH_STYLE", "true")
                .containsEntry("AWS_REGION", "eu-central-1")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/orders")
                .containsEntry("SPRING_DATA_REDIS_HOST", "redis").containsEntry("SPRING_DATA_REDIS_PORT", "6379")
                .containsEntry("ADVISOR_CAPTURE_ENABLED", "true").containsEntry("ADVISOR_EVENTS_SHARED_CLAIMS", "true")
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
        assertThat(kind(docs, "ServiceMonitor").at("/spec/endpoints/0/port").asText()).isEqualTo("management");
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
    @org.junit.jupiter.api.Tag("attack")
    void aCanaryShareTakesItsHashKeyFromASecretAndFailsWithoutOne() throws IOException {
        assertThatThrownBy(() -> render(c -> c.set("shadow.canaryShare", "0.05")))
                .hasMessageContaining("shadow.canaryExistingSecret");
        List<JsonNode> docs = render(c -> c.set("shadow.canaryShare", "0.05").set("shadow.canaryExistingSecret", "canary-key"));
        assertThat(configMap(docs)).containsEntry("ADVISOR_SHADOW_CANARY_SHARE", "0.05");
        JsonNode secret = env(kind(docs, "Deployment").at("/spec/template/spec")).get("ADVISOR_SHADOW_CANARY_SECRET");
        assertThat(secret.has("value")).isFalse();
        assertThat(secret.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("canary-key");
        assertThat(secret.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("canary-secret");
        assertThat(configMap(render(c -> c))).containsEntry("ADVISOR_SHADOW_CANARY_SHARE", "0");
    }

    @Test
    void enabledFeaturesWithoutTheirRequiredSettingsFailWithTheSettingNamed() {
        assertThatThrownBy(() -> render(c -> c.set("database.enabled", "true")))
                .hasMessageContaining("database.url is required");
        assertThatThrownBy(() -> render(c -> c.set("vault.enabled", "true")))
                .hasMessageContaining("vault.uri is required");
    }

    /** port -> peers of each ingress (or egress) rule, e.g. "http" -> [{podSelector: {}}]; ports joined by ",". */
    private static Map<String, JsonNode> rulesByPorts(JsonNode rules, String peersField) {
        Map<String, JsonNode> byPorts = new java.util.LinkedHashMap<>();
        for (JsonNode rule : rules) {
            List<String> ports = new ArrayList<>();
            rule.get("ports").forEach(p -> ports.add(p.get("port").asText() + "/" + p.get("protocol").asText()));
            byPorts.put(String.join(",", ports), rule.path(peersField));
        }
        return byPorts;
    }

    @Test
    void networkPolicyAdmitsTheApiAndMonitoringOnlyAndEgressFollowsTheFeaturesThatAreOn() throws IOException {
        JsonNode policy = kind(render(c -> c), "NetworkPolicy");
        assertThat(policy.get("apiVersion").asText()).isEqualTo("networking.k8s.io/v1");
        assertThat(policy.at("/spec/podSelector/matchLabels")).isEqualTo(
                kind(render(c -> c), "Deployment").at("/spec/selector/matchLabels"));
        assertThat(List.of(policy.at("/spec/policyTypes/0").asText(), policy.at("/spec/policyTypes/1").asText()))
                .containsExactly("Ingress", "Egress");
        Map<String, JsonNode> ingress = rulesByPorts(policy.at("/spec/ingress"), "from");
        assertThat(ingress).containsOnlyKeys("http/TCP,grpc/TCP", "management/TCP");
        assertThat(ingress.get("http/TCP,grpc/TCP").toString()).isEqualTo("[{\"podSelector\":{}}]");
        assertThat(ingress.get("management/TCP").at("/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("monitoring");
        // default: DNS, the registry on 443 and RabbitMQ (events are on by default); nothing else
        Map<String, JsonNode> egress = rulesByPorts(policy.at("/spec/egress"), "to");
        assertThat(egress).containsOnlyKeys("53/UDP,53/TCP", "443/TCP", "5672/TCP");
        assertThat(egress.get("53/UDP,53/TCP").at("/0/podSelector/matchLabels/k8s-app").asText()).isEqualTo("kube-dns");
        assertThat(egress.get("443/TCP").at("/0/ipBlock/cidr").asText()).as("S3: public addresses, port 443 only").isEqualTo("0.0.0.0/0");
        assertThat(egress.get("443/TCP").at("/0/ipBlock/except").toString()).contains("10.0.0.0/8", "169.254.0.0/16");
        assertThat(egress.get("5672/TCP").at("/0/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("rabbitmq");

        List<JsonNode> docs = render(c -> c
                .set("networkPolicy.apiFrom[0].namespaceSelector.matchLabels.team", "orders")
                .set("networkPolicy.apiFrom[0].podSelector.matchLabels.app", "order-service")
                .set("networkPolicy.egress.s3.ports[0]", "9000")
                .set("networkPolicy.egress.s3.to[0].namespaceSelector.matchLabels.name", "storage")
                .set("rabbitmq.port", "5671")
                .set("database.enabled", "true").set("database.url", "jdbc:postgresql://postgres:5432/orders")
                .set("redis.enabled", "true")
                .set("vault.enabled", "true").set("vault.uri", "https://vault.vault.svc:8200")
                .set("llm.provider", "openai")
                .set("networkPolicy.egress.llm.to[0].ipBlock.cidr", "10.20.0.0/16"));
        policy = kind(docs, "NetworkPolicy");
        ingress = rulesByPorts(policy.at("/spec/ingress"), "from");
        assertThat(ingress.get("http/TCP,grpc/TCP").at("/0/namespaceSelector/matchLabels/team").asText()).isEqualTo("orders");
        assertThat(ingress.get("http/TCP,grpc/TCP").at("/0/podSelector/matchLabels/app").asText()).isEqualTo("order-service");
        egress = rulesByPorts(policy.at("/spec/egress"), "to");
        assertThat(egress).containsOnlyKeys("53/UDP,53/TCP", "9000/TCP", "5671/TCP", "5432/TCP", "6379/TCP", "8200/TCP", "443/TCP");
        assertThat(egress.get("9000/TCP").at("/0/namespaceSelector/matchLabels/name").asText()).isEqualTo("storage");
        assertThat(egress.get("443/TCP").at("/0/ipBlock/cidr").asText()).as("the LLM rule").isEqualTo("10.20.0.0/16");

        assertThat(kind(render(c -> c.set("networkPolicy.enabled", "false")), "NetworkPolicy")).isNull();
        // a rule without ports would open every port: refused by the schema (a values file, as --set cannot say [])
        Path noPorts = Files.writeString(Files.createTempFile("values", ".yaml"),
                "networkPolicy:\n  egress:\n    postgres:\n      to: []\n      ports: []\n");
        try {
            assertThatThrownBy(() -> render(c -> c.withValuesFile(noPorts)))
                    .hasMessageContaining("/networkPolicy/egress/postgres/ports");
        } finally {
            Files.delete(noPorts);
        }
        assertThatThrownBy(() -> render(c -> c.set("networkPolicy.apiFrom[0].podSelectr.matchLabels.app", "x")))
                .hasMessageContaining("podSelectr");
        assertThatThrownBy(() -> render(c -> c.set("networkPolicy.egress.s3.ports[0]", "https")))
                .hasMessageContaining("ports");
    }

    /**
     * Before, the egress rules of S3, PostgreSQL, RabbitMQ, Redis, Vault, the LLM and the issuer rendered without `to`:
     * 443 and 5432 (and the others) open to every address, the cloud metadata endpoint and other namespaces included.
     */
    @Test
    @org.junit.jupiter.api.Tag("attack")
    void everyRenderedEgressRuleNamesItsDestinationsAndNoneIsOpenToEveryAddress() throws IOException {
        JsonNode policy = kind(render(c -> c
                .set("database.enabled", "true").set("database.url", "jdbc:postgresql://postgres:5432/orders")
                .set("redis.enabled", "true")
                .set("vault.enabled", "true").set("vault.uri", "https://vault.vault.svc:8200")
                .set("llm.provider", "openai").set("networkPolicy.egress.llm.to[0].ipBlock.cidr", "10.20.0.0/16")
                .set("security.jwt.issuerUri", "https://idp.example/realms/orders").set("security.jwt.audiences[0]", "order-advisor")
                .set("networkPolicy.egress.idp.to[0].ipBlock.cidr", "10.30.0.0/16")
                .set("registryEvents.enabled", "true")), "NetworkPolicy");
        JsonNode egress = policy.at("/spec/egress");
        assertThat(egress.size()).as("DNS, S3, RabbitMQ, registry events, PostgreSQL, Redis, Vault, LLM, issuer").isEqualTo(9);
        for (JsonNode rule : egress) {
            assertThat(rule.path("to").isArray() && !rule.path("to").isEmpty()).as("egress rule names destinations: " + rule).isTrue();
            assertThat(rule.path("ports").isEmpty()).as("egress rule names ports: " + rule).isFalse();
            for (JsonNode peer : rule.path("to")) {
                if (peer.at("/ipBlock/cidr").asText().matches("0\\.0\\.0\\.0/0|::/0")) {
                    assertThat(peer.at("/ipBlock/except").toString()).as("an open CIDR keeps the private ranges out: " + rule)
                            .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
                }
            }
        }
        Map<String, JsonNode> byPorts = rulesByPorts(egress, "to");
        assertThat(byPorts.get("5432/TCP").at("/0/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("postgresql");
        assertThat(byPorts.get("6379/TCP").at("/0/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("redis");
        assertThat(byPorts.get("8200/TCP").at("/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText()).isEqualTo("vault");

        // a feature on without destinations for it: refused, naming the value (an empty list would mean every address)
        assertThatThrownBy(() -> render(c -> c.set("llm.provider", "openai")))
                .hasMessageContaining("networkPolicy.egress.llm.to is empty");
        assertThatThrownBy(() -> render(c -> c.set("security.jwt.issuerUri", "https://idp.example/realms/orders")))
                .hasMessageContaining("networkPolicy.egress.idp.to is empty");
        Path empty = Files.writeString(Files.createTempFile("values", ".yaml"),
                "networkPolicy:\n  egress:\n    s3:\n      to: []\n      ports: [443]\n"
                        + "  extraEgress:\n    - ports: [{port: 25}]\n");
        Path emptyDns = Files.writeString(Files.createTempFile("values", ".yaml"), "networkPolicy:\n  egress:\n    dns:\n      to: []\n");
        try {
            assertThatThrownBy(() -> render(c -> c.withValuesFile(empty))).hasMessageContaining("extraEgress");
            Files.writeString(empty, "networkPolicy:\n  egress:\n    s3:\n      to: []\n      ports: [443]\n");
            assertThatThrownBy(() -> render(c -> c.withValuesFile(empty))).hasMessageContaining("networkPolicy.egress.s3.to is empty");
            assertThatThrownBy(() -> render(c -> c.withValuesFile(emptyDns))).hasMessageContaining("dns");
        } finally {
            Files.delete(empty);
            Files.delete(emptyDns);
        }
    }

    @Test
    void registryEventsTakeTheBrokerUriFromASecretOrVaultAndOpenEgressToTheBroker() throws IOException {
        // defaults: no subscription (the alias poll alone), nothing of it rendered
        List<JsonNode> defaults = render(c -> c.set("cronJob.enabled", "true"));
        assertThat(env(kind(defaults, "Deployment").at("/spec/template/spec"))).doesNotContainKey("REGISTRY_EVENTS_AMQP_URI");
        assertThat(env(kind(defaults, "CronJob").at("/spec/jobTemplate/spec/template/spec"))).doesNotContainKey("REGISTRY_EVENTS_AMQP_URI");
        assertThat(configMap(defaults)).doesNotContainKey("REGISTRY_EVENTS_EXCHANGE");

        // on, with another broker than the order events' (rabbitmq off): the URI by reference, on the pods and the runner
        List<JsonNode> docs = render(c -> c.set("registryEvents.enabled", "true").set("registryEvents.existingSecret", "registry-events")
                .set("rabbitmq.enabled", "false").set("cronJob.enabled", "true"));
        for (JsonNode pod : List.of(kind(docs, "Deployment").at("/spec/template/spec"),
                kind(docs, "CronJob").at("/spec/jobTemplate/spec/template/spec"))) {
            JsonNode uri = env(pod).get("REGISTRY_EVENTS_AMQP_URI");
            assertThat(uri).isNotNull();
            assertThat(uri.has("value")).as("no literal URI").isFalse();
            assertThat(uri.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("registry-events");
            assertThat(uri.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("amqp-uri");
        }
        assertThat(configMap(docs)).containsEntry("REGISTRY_EVENTS_EXCHANGE", "registry.lifecycle")
                .doesNotContainKey("REGISTRY_EVENTS_AMQP_URI");
        assertThat(configMap(docs).values()).noneMatch(v -> v.contains("amqp://") || v.contains("amqps://"));
        assertThat(kind(docs, "Secret")).isNull();
        Map<String, JsonNode> egress = rulesByPorts(kind(docs, "NetworkPolicy").at("/spec/egress"), "to");
        assertThat(egress).containsOnlyKeys("53/UDP,53/TCP", "443/TCP", "5672/TCP");
        assertThat(egress.get("5672/TCP").at("/0/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("rabbitmq");

        // another exchange, key and broker
        docs = render(c -> c.set("registryEvents.enabled", "true").set("registryEvents.existingSecret", "registry-events")
                .set("registryEvents.exchange", "registry.lifecycle.staging").set("registryEvents.uriKey", "uri")
                .set("networkPolicy.egress.registryEvents.to[0].namespaceSelector.matchLabels.name", "messaging")
                .set("networkPolicy.egress.registryEvents.ports[0]", "5671"));
        assertThat(configMap(docs)).containsEntry("REGISTRY_EVENTS_EXCHANGE", "registry.lifecycle.staging");
        assertThat(env(kind(docs, "Deployment").at("/spec/template/spec")).get("REGISTRY_EVENTS_AMQP_URI")
                .at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("uri");
        egress = rulesByPorts(kind(docs, "NetworkPolicy").at("/spec/egress"), "to");
        assertThat(egress.get("5671/TCP").at("/0/namespaceSelector/matchLabels/name").asText()).isEqualTo("messaging");

        // with Vault the URI comes from Vault (advisor.models.events.amqp-uri): no reference, the exchange still set
        docs = render(c -> c.set("registryEvents.enabled", "true").set("vault.enabled", "true").set("vault.uri", "https://vault:8200"));
        assertThat(env(kind(docs, "Deployment").at("/spec/template/spec"))).doesNotContainKey("REGISTRY_EVENTS_AMQP_URI");
        assertThat(configMap(docs)).containsEntry("REGISTRY_EVENTS_EXCHANGE", "registry.lifecycle");

        assertThatThrownBy(() -> render(c -> c.set("registryEvents.enabled", "true")))
                .hasMessageContaining("registryEvents.existingSecret");
        assertThatThrownBy(() -> render(c -> c.set("registryEvents.enabled", "true").set("registryEvents.existingSecret", "registry-events")
                .set("vault.enabled", "true").set("vault.uri", "https://vault:8200")))
                .hasMessageContaining("registryEvents.existingSecret").hasMessageContaining("Vault");
        Path noPeers = Files.writeString(Files.createTempFile("values", ".yaml"),
                "registryEvents: {enabled: true, existingSecret: registry-events}\nnetworkPolicy: {egress: {registryEvents: {to: [], ports: [5672]}}}\n");
        try {
            assertThatThrownBy(() -> render(c -> c.withValuesFile(noPeers)))
                    .hasMessageContaining("networkPolicy.egress.registryEvents.to is empty");
        } finally {
            Files.delete(noPeers);
        }
        // the URI is never a value: a literal is an unknown key; a bad exchange name is refused
        assertThatThrownBy(() -> render(c -> c.set("registryEvents.amqpUri", "amqp://guest:guest@rabbitmq:5672")))
                .hasMessageContaining("amqpUri");
        assertThatThrownBy(() -> render(c -> c.set("registryEvents.exchange", "registry lifecycle")))
                .hasMessageContaining("exchange");
    }

    @Test
    void adminTokensAreSecretReferencesAndJwtSettingsReachTheConfigMap() throws IOException {
        List<JsonNode> defaults = render(c -> c);
        Map<String, JsonNode> env = env(kind(defaults, "Deployment").at("/spec/template/spec"));
        assertThat(env).doesNotContainKeys("ADVISOR_SECURITY_ADMIN_TOKEN", "ADVISOR_SECURITY_READ_TOKEN");
        assertThat(configMap(defaults)).containsEntry("ADVISOR_SECURITY_PUBLIC_SCORING", "true")
                .doesNotContainKey("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI");

        List<JsonNode> docs = render(c -> c.set("security.existingSecret", "advisor-tokens")
                .set("security.jwt.issuerUri", "https://idp.example/realms/orders")
                .set("security.jwt.audiences[0]", "order-advisor").set("security.jwt.audiences[1]", "order-advisor-batch")
                .set("security.jwt.rolesClaim", "realm_access.roles").set("security.publicScoring", "false")
                .set("networkPolicy.egress.idp.to[0].ipBlock.cidr", "10.30.0.0/16"));
        env = env(kind(docs, "Deployment").at("/spec/template/spec"));
        assertThat(env.get("ADVISOR_SECURITY_ADMIN_TOKEN").has("value")).isFalse();
        assertThat(env.get("ADVISOR_SECURITY_ADMIN_TOKEN").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("advisor-tokens");
        assertThat(env.get("ADVISOR_SECURITY_ADMIN_TOKEN").at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("admin-token");
        assertThat(env.get("ADVISOR_SECURITY_READ_TOKEN").at("/valueFrom/secretKeyRef/optional").asBoolean()).isTrue();
        assertThat(env.get("ADVISOR_SECURITY_FEEDBACK_TOKEN").at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("feedback-token");
        assertThat(configMap(docs)).containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", "https://idp.example/realms/orders")
                .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", "order-advisor,order-advisor-batch")
                .containsEntry("ADVISOR_SECURITY_ROLES_CLAIM", "realm_access.roles")
                .containsEntry("ADVISOR_SECURITY_PUBLIC_SCORING", "false");
        assertThat(kind(docs, "Secret")).isNull();
        assertThat(kind(docs, "NetworkPolicy").at("/spec/egress").toString()).as("egress to the issuer").contains("10.30.0.0/16");

        assertThatThrownBy(() -> render(c -> c.set("security.jwt.issuerUri", "idp.example")))
                .hasMessageContaining("issuerUri");
        assertThatThrownBy(() -> render(c -> c.set("security.adminToken", "literal-token-in-values")))
                .as("no literal tokens in values").hasMessageContaining("adminToken");
    }

    @Test
    @Tag("attack")
    void jwtsNeedAnIssuerAndAnAudience() throws IOException {
        // before: jwkSetUri alone rendered, and the service took tokens of any issuer and any audience
        String egressToIdp = "networkPolicy.egress.idp.to[0].ipBlock.cidr";
        assertThatThrownBy(() -> render(c -> c.set(egressToIdp, "10.30.0.0/16").set("security.jwt.jwkSetUri", "https://idp.example/jwks")
                .set("security.jwt.audiences[0]", "order-advisor"))).hasMessageContaining("security.jwt.issuerUri is required");
        assertThatThrownBy(() -> render(c -> c.set(egressToIdp, "10.30.0.0/16")
                .set("security.jwt.issuerUri", "https://idp.example/realms/orders"))).hasMessageContaining("security.jwt.audiences is required");
        assertThatThrownBy(() -> render(c -> c.set(egressToIdp, "10.30.0.0/16").set("security.jwt.issuerUri", "https://idp.example/realms/orders")
                .set("security.jwt.audiences[0]", "a,b"))).as("one audience per item").hasMessageContaining("audiences");
        Map<String, String> config = configMap(render(c -> c.set(egressToIdp, "10.30.0.0/16").set("security.jwt.jwkSetUri", "https://idp.example/jwks")
                .set("security.jwt.issuerUri", "https://idp.example/realms/orders").set("security.jwt.audiences[0]", "order-advisor")));
        assertThat(config).containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI", "https://idp.example/jwks")
                .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", "https://idp.example/realms/orders")
                .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", "order-advisor");
    }

    @Test
    void theLlmKeyIsASecretReferenceWhenVaultIsOffAndRefusedBesideVault() throws IOException {
        List<JsonNode> docs = render(c -> c.set("llm.provider", "openai").set("llm.existingSecret", "llm-keys")
                .set("networkPolicy.egress.llm.to[0].ipBlock.cidr", "10.40.0.0/16").set("cronJob.enabled", "true"));
        Map<String, JsonNode> env = env(kind(docs, "Deployment").at("/spec/template/spec"));
        assertThat(env.get("ADVISOR_LLM_OPENAI_API_KEY").has("value")).isFalse();
        assertThat(env.get("ADVISOR_LLM_OPENAI_API_KEY").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("llm-keys");
        assertThat(env.get("ADVISOR_LLM_OPENAI_API_KEY").at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("api-key");
        assertThat(configMap(docs)).containsEntry("ADVISOR_LLM_PROVIDER", "openai");
        assertThat(kind(docs, "Secret")).isNull();

        env = env(kind(render(c -> c.set("llm.provider", "azure").set("llm.existingSecret", "llm-keys")
                .set("networkPolicy.egress.llm.to[0].ipBlock.cidr", "10.40.0.0/16")
                .set("llm.apiKeyKey", "azure-key")), "Deployment").at("/spec/template/spec"));
        assertThat(env).doesNotContainKey("ADVISOR_LLM_OPENAI_API_KEY");
        assertThat(env.get("ADVISOR_LLM_AZURE_API_KEY").at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("azure-key");

        assertThatThrownBy(() -> render(c -> c.set("llm.provider", "openai").set("llm.existingSecret", "llm-keys")
                .set("networkPolicy.egress.llm.to[0].ipBlock.cidr", "10.40.0.0/16")
                .set("vault.enabled", "true").set("vault.uri", "https://vault:8200")))
                .hasMessageContaining("llm.existingSecret").hasMessageContaining("Vault");
        assertThatThrownBy(() -> render(c -> c.set("llm.existingSecret", "llm-keys")))
                .hasMessageContaining("llm.provider");
        assertThatThrownBy(() -> render(c -> c.set("llm.provider", "anthropic")))
                .hasMessageContaining("provider");
    }

    @Test
    void managementPortIsConfigurableButNeverTheApiPort() throws IOException {
        List<JsonNode> docs = render(c -> c.set("management.port", "9090").set("metrics.serviceMonitor.enabled", "true"));
        JsonNode container = kind(docs, "Deployment").at("/spec/template/spec/containers/0");
        assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(9090);
        assertThat(configMap(docs)).containsEntry("MANAGEMENT_SERVER_PORT", "9090");
        assertThat(kind(docs, "Deployment").at("/spec/template/metadata/annotations/prometheus.io~1port").asText()).isEqualTo("9090");
        assertThat(kind(docs, "Service").at("/spec/ports/1/port").asInt()).isEqualTo(9090);
        assertThat(kind(docs, "ServiceMonitor").at("/spec/endpoints/0/port").asText()).isEqualTo("management");
        assertThatThrownBy(() -> render(c -> c.set("management.port", "8080")))
                .hasMessageContaining("management.port must differ");
        assertThatThrownBy(() -> render(c -> c.set("management.port", "70000")))
                .hasMessageContaining("management");
    }
}
