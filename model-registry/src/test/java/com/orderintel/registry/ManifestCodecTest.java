package com.orderintel.registry;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestCodecTest {

    private final ModelManifest manifest = Manifests.forArtifact("order-anomaly", "v1", new byte[] {1, 2, 3});

    @Test
    void roundTripsThroughYaml() {
        String yaml = ManifestCodec.toYamlString(manifest);
        assertThat(yaml).contains("name: order-anomaly", "createdAt: 2026-11-25T00:00:00Z", "sha256:");
        assertThat(ManifestCodec.read(yaml.getBytes(StandardCharsets.UTF_8), "m.yaml")).isEqualTo(manifest);
    }

    @Test
    void toleratesUnknownFutureFields() {
        String yaml = ManifestCodec.toYamlString(manifest) + "signedBy: release-bot\nexplainability:\n  shap: true\n";
        assertThat(ManifestCodec.read(yaml.getBytes(StandardCharsets.UTF_8), "m.yaml").name()).isEqualTo("order-anomaly");
    }

    @Test
    void rejectsMissingRequiredFieldsNamingThemAll() {
        String yaml = ManifestCodec.toYamlString(manifest).replaceAll("(?m)^  sha256: .*\\n", "").replace("version: v1\n", "");
        assertThatThrownBy(() -> ManifestCodec.read(yaml.getBytes(StandardCharsets.UTF_8), "s3://b/v1/order-anomaly/manifest.yaml"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("manifest s3://b/v1/order-anomaly/manifest.yaml")
                .hasMessageContaining("missing required field 'artifact.sha256'")
                .hasMessageContaining("missing required field 'version'");
    }

    @Test
    void rejectsNewerMajorSchemaAndGarbage() {
        String newer = ManifestCodec.toYamlString(manifest).replace("schemaVersion: 1", "schemaVersion: 2");
        assertThatThrownBy(() -> ManifestCodec.read(newer.getBytes(StandardCharsets.UTF_8), "m.yaml"))
                .hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> ManifestCodec.read("name: [unclosed".getBytes(StandardCharsets.UTF_8), "m.yaml"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("m.yaml is not valid YAML");
        assertThatThrownBy(() -> ManifestCodec.read("task: TELEPATHY\n".getBytes(StandardCharsets.UTF_8), "m.yaml"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("m.yaml");
    }
}
