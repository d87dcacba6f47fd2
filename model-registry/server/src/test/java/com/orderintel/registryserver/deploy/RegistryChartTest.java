package com.orderintel.registryserver.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import com.orderintel.testkit.RenderedManifests;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** helm/registry-server rendered and linted by real Helm (helm-java), asserting on the parsed manifests. */
class RegistryChartTest {

    private static final Path CHART = Path.of("../../helm/registry-server").toAbsolutePath().normalize();

    private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws IOException {
        return RenderedManifests.parse(values.apply(new Helm(CHART).template().withName("registry").withNamespace("shop")).call());
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
        // defaults: no broker, no webhook
        assertThat(env).doesNotContainKeys("REGISTRY_EVENTS_AMQP_URI", "REGISTRY_EVENTS_EXCHANGE")
                .allSatisfy((name, e) -> assertThat(name).doesNotStartWith("REGISTRY_WEBHOOKS_"));
    }

    @Test
    void eventsAndWebhooksTakeTheirCredentialsFromSecrets(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path hooks = values(dir, """
                registryUri: s3://models
                registryEvents: {enabled: true, existingSecret: registry-events}
                webhooks:
                  - {name: ci, url: "https://ci.shop.example/hooks/registry?team=ml", secretName: registry-webhooks, secretKey: ci}
                  - {url: "http://audit.audit.svc:8080/events", secretName: audit-hook, secretKey: hmac}
                """);
        Map<String, JsonNode> env = env(render(c -> c.withValuesFile(hooks)));
        assertRef(env, "REGISTRY_EVENTS_AMQP_URI", "registry-events", "amqp-uri");
        assertThat(env.get("REGISTRY_EVENTS_EXCHANGE").get("value").asText()).isEqualTo("registry.lifecycle");
        assertThat(env.get("REGISTRY_WEBHOOKS_0_NAME").get("value").asText()).isEqualTo("ci");
        assertThat(env.get("REGISTRY_WEBHOOKS_0_URL").get("value").asText()).isEqualTo("https://ci.shop.example/hooks/registry?team=ml");
        assertRef(env, "REGISTRY_WEBHOOKS_0_SECRET", "registry-webhooks", "ci");
        assertThat(env).as("no name given: the server names it webhook-2").doesNotContainKey("REGISTRY_WEBHOOKS_1_NAME");
        assertThat(env.get("REGISTRY_WEBHOOKS_1_URL").get("value").asText()).isEqualTo("http://audit.audit.svc:8080/events");
        assertRef(env, "REGISTRY_WEBHOOKS_1_SECRET", "audit-hook", "hmac");
        assertThat(env.values()).as("no literal broker URI").noneMatch(e -> e.path("value").asText().startsWith("amqp"));

        // webhooks without a broker (they hear this server's moves); another exchange and key
        env = env(render(c -> c.set("registryUri", "s3://models").set("registryEvents.enabled", "true")
                .set("registryEvents.existingSecret", "registry-events").set("registryEvents.uriKey", "uri")
                .set("registryEvents.exchange", "registry.lifecycle.staging")));
        assertRef(env, "REGISTRY_EVENTS_AMQP_URI", "registry-events", "uri");
        assertThat(env.get("REGISTRY_EVENTS_EXCHANGE").get("value").asText()).isEqualTo("registry.lifecycle.staging");
        env = env(render(c -> c.set("registryUri", "s3://models").set("webhooks[0].url", "https://ci.example/h")
                .set("webhooks[0].secretName", "hooks").set("webhooks[0].secretKey", "ci")));
        assertThat(env).containsKeys("REGISTRY_WEBHOOKS_0_URL", "REGISTRY_WEBHOOKS_0_SECRET").doesNotContainKey("REGISTRY_EVENTS_AMQP_URI");
    }

    private static void assertRef(Map<String, JsonNode> env, String name, String secret, String key) {
        assertThat(env.get(name)).as(name).isNotNull();
        assertThat(env.get(name).has("value")).as(name + " has no literal value").isFalse();
        assertThat(env.get(name).at("/valueFrom/secretKeyRef/name").asText()).as(name).isEqualTo(secret);
        assertThat(env.get(name).at("/valueFrom/secretKeyRef/key").asText()).as(name).isEqualTo(key);
    }

    @Test
    void eventAndWebhookValuesThatWouldLeakOrBreakAreRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> render(c -> c.set("registryUri", "s3://m").set("registryEvents.enabled", "true")))
                .hasMessageContaining("registryEvents.existingSecret is required");
        // credentials never as values: a literal URI or secret is an unknown key, a URL with user info is refused
        assertThatThrownBy(() -> render(c -> c.set("registryUri", "s3://m").set("registryEvents.amqpUri", "amqp://u:p@rabbitmq:5672")))
                .hasMessageContaining("amqpUri");
        String hook = "webhooks[0].";
        assertThatThrownBy(() -> render(c -> c.set("registryUri", "s3://m").set(hook + "url", "https://ci.example/h")
                .set(hook + "secretName", "hooks").set(hook + "secretKey", "ci").set(hook + "secret", "a-literal-signing-secret")))
                .hasMessageContaining("additional properties 'secret' not allowed");
        assertThatThrownBy(() -> render(c -> c.set("registryUri", "s3://m").set(hook + "url", "https://user:pw@ci.example/h")
                .set(hook + "secretName", "hooks").set(hook + "secretKey", "ci"))).hasMessageContaining("/webhooks/0/url");
        assertThatThrownBy(() -> render(c -> c.set("registryUri", "s3://m").set(hook + "url", "ftp://ci.example/h")
                .set(hook + "secretName", "hooks").set(hook + "secretKey", "ci"))).hasMessageContaining("/webhooks/0/url");
        assertThatThrownBy(() -> render(c -> c.set("registryUri", "s3://m").set(hook + "url", "https://ci.example/h")))
                .hasMessageContaining("missing properties 'secretName', 'secretKey'");
        assertThatThrownBy(() -> render(c -> c.set("registryUri", "s3://m").set(hook + "name", "ci hook").set(hook + "url", "https://ci.example/h")
                .set(hook + "secretName", "hooks").set(hook + "secretKey", "ci"))).hasMessageContaining("/webhooks/0/name");
        Path twice = values(dir, """
                registryUri: s3://m
                webhooks:
                  - {url: "https://a.example/h", secretName: hooks, secretKey: a}
                  - {name: webhook-1, url: "https://b.example/h", secretName: hooks, secretKey: b}
                """);
        assertThatThrownBy(() -> render(c -> c.withValuesFile(twice))).hasMessageContaining("webhook-1 is used twice");
        // the schema is strict, as the advisor's: a misspelt key is an error, not a silently ignored value
        assertThatThrownBy(() -> render(c -> c.set("registryURI", "s3://m"))).hasMessageContaining("registryURI");
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
