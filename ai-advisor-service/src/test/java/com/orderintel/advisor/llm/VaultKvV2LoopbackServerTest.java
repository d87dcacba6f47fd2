package com.orderintel.advisor.llm;

import com.orderintel.advisor.support.Credentials;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.ActiveProfiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Profile {@code vault} against {@link VaultKvV2LoopbackServer} (Vault's KV v2 read API on loopback): the OpenAI key
 * is read from Vault into {@link LlmProperties}, and neither it nor the Vault token appears in /actuator/env,
 * /actuator/configprops (both set to show values, so our sanitizer alone masks them), toString or the logs.
 */
@ExtendWith(OutputCaptureExtension.class)
@ActiveProfiles("vault")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.vault.uri=http://127.0.0.1:${vault.loopback.port}",
        "spring.cloud.vault.token=" + VaultKvV2LoopbackServerTest.TOKEN,
        "spring.cloud.vault.session.lifecycle.enabled=false",
        "advisor.llm.provider=openai",
        "advisor.llm.openai.base-url=http://127.0.0.1:9/v1",
        "management.endpoints.web.exposure.include=health,env,configprops",
        "management.endpoint.env.show-values=always",
        "management.endpoint.configprops.show-values=always",
        "logging.level.org.springframework.vault=DEBUG",
        "logging.level.org.springframework.cloud.vault=DEBUG",
        Credentials.ADMIN_TOKEN_PROPERTY})
class VaultKvV2LoopbackServerTest {

    static final String TOKEN = "hvs.loopback-token-7f3a";
    static final String OPENAI_KEY = "sk-vault-loopback-4b1d9e6c";
    static final String AZURE_KEY = "az-vault-loopback-0c2e55";
    static final VaultKvV2LoopbackServer VAULT;

    static {
        // Config data (vault://) is resolved before @DynamicPropertySource applies, so the port goes in early.
        try {
            VAULT = new VaultKvV2LoopbackServer(TOKEN, Map.of("secret/ai-advisor-service", Map.of(
                    "advisor.llm.openai.api-key", OPENAI_KEY,
                    "advisor.llm.azure.api-key", AZURE_KEY)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("vault.loopback.port", String.valueOf(VAULT.port()));
    }

    @AfterAll
    static void stopVault() {
        VAULT.close();
        System.clearProperty("vault.loopback.port");
    }

    @Autowired
    LlmProperties props;

    @Autowired
    TestRestTemplate http;

    @Test
    void keysComeFromVaultAndNeverShowInActuatorToStringOrLogs(CapturedOutput output) {
        assertThat(VAULT.requests).contains("GET /v1/secret/data/ai-advisor-service");
        assertThat(props.openai().apiKey()).isEqualTo(OPENAI_KEY);
        assertThat(props.azure().apiKey()).isEqualTo(AZURE_KEY);
        assertThat(props.providerConfigured()).isTrue();

        Credentials.asAdmin(http); // env and configprops need role admin
        String env = http.getForObject("/actuator/env", String.class);
        assertThat(env).contains("vault:").contains("advisor.llm.openai.api-key")
                .contains("\"advisor.llm.openai.api-key\":{\"value\":\"******\"")
                .contains("\"spring.cloud.vault.token\":{\"value\":\"******\"")
                .contains("http://127.0.0.1:9/v1");                     // non-secret values stay visible
        String envKey = http.getForObject("/actuator/env/advisor.llm.openai.api-key", String.class);
        assertThat(envKey).contains("\"value\":\"******\"");
        String configprops = http.getForObject("/actuator/configprops", String.class);
        assertThat(configprops).contains("advisor.llm").contains("\"apiKey\":\"******\"");

        // the capture covers startup, when Vault was read (DEBUG logging of the Vault client is on)
        assertThat(output.getAll()).contains("Requesting secrets from Vault at secret/ai-advisor-service");
        for (String out : new String[] {env, envKey, configprops, props.toString(), output.getAll()}) {
            assertThat(out).doesNotContain(OPENAI_KEY).doesNotContain(AZURE_KEY).doesNotContain(TOKEN);
        }
        assertThat(props.toString()).contains("apiKey=******");
    }
}
