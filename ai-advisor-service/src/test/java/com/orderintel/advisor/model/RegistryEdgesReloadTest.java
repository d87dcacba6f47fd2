package com.orderintel.advisor.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.support.ServingTestBase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.ResponseEntity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The admin reload against a hostile file registry and a URI carrying credentials: no file content and no secret
 * reaches the problem detail or the log, and a refused reload never keeps the reload lock.
 */
@Tag("attack")
@ExtendWith(OutputCaptureExtension.class)
class RegistryEdgesReloadTest extends ServingTestBase {

    static final String RELOAD = "/api/v1/admin/models/reload";
    static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aManifestLinkedToEtcPasswdIsRefusedWithoutItsContent(CapturedOutput output) throws Exception {
        Path secret = tmp.resolve("host-secret");
        Files.writeString(secret, "root:x:0:0:root:/root:/bin/bash\nsk-live-0123456789\n");
        Path dir = Files.createDirectories(tmp.resolve("reg/v9/order-anomaly"));
        Files.createSymbolicLink(dir.resolve("manifest.yaml"), secret);
        ResponseEntity<String> r = reload(tmp.resolve("reg").toUri().toString().replaceAll("/$", "") + "/v9/order-anomaly");
        assertThat(r.getStatusCode().value()).isEqualTo(422);
        assertThat(detail(r)).contains("leads out of the registry root").doesNotContain("root:x").doesNotContain("sk-live");
        assertThat(output.getAll()).doesNotContain("root:x").doesNotContain("sk-live");
        assertThat(reload(MODELS.anomalyUri).getStatusCode().value()).as("the next reload").isEqualTo(200);
    }

    @Test
    void aFifoManifestIsRefusedAtOnceAndTheNextReloadIsNot409() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("reg/v9/order-anomaly"));
        Process mk = new ProcessBuilder("mkfifo", dir.resolve("manifest.yaml").toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0).isTrue();
        String uri = tmp.resolve("reg").toUri().toString().replaceAll("/$", "") + "/v9/order-anomaly";
        // before: this reload never returned, and every later one was 409 (the lock stayed with the hung reload)
        ResponseEntity<String> r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> reload(uri));
        assertThat(r.getStatusCode().value()).isEqualTo(422);
        assertThat(detail(r)).contains("is not a regular file");
        assertThat(reload(MODELS.anomalyUri).getStatusCode().value()).as("the next reload").isEqualTo(200);
    }

    @Test
    void credentialsInAReloadUriAreNeitherEchoedNorLogged(CapturedOutput output) throws Exception {
        for (String uri : new String[] {"s3://" + KEY + ":S3cr3tV4lue@models/prefix/v1/order-anomaly",
                "s3://" + KEY + ":" + SECRET + "@models/prefix/order-anomaly@production"}) {
            ResponseEntity<String> r = reload(uri);
            assertThat(r.getStatusCode().value()).isEqualTo(400);
            assertThat(r.getBody()).contains("carries credentials").contains("s3://***@models/prefix")
                    .doesNotContain(KEY).doesNotContain("S3cr3t").doesNotContain("K7MDENG");
            assertThat(json.readTree(r.getBody()).path("uri").asText()).startsWith("s3://***@models/");
        }
        assertThat(output.getAll()).contains("carries credentials").doesNotContain(KEY).doesNotContain("S3cr3t")
                .doesNotContain("K7MDENG");
    }

    private ResponseEntity<String> reload(String anomalyUri) throws Exception {
        return post(RELOAD, json.writeValueAsString(java.util.Map.of("anomaly_uri", anomalyUri)));
    }

    private String detail(ResponseEntity<String> r) throws Exception {
        JsonNode body = json.readTree(r.getBody());
        return body.path("detail").asText();
    }
}
