package com.orderintel.registry;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
    /**
     * A "billion laughs" document: ten levels of anchors, each list aliasing the previous one nine times (10^9
     * strings if expanded). Jackson's YAML parser does not expand aliases and the SnakeYAML limits bound the
     * rest, so reading it costs about as much as its own size.
     */
    @Test
    void aliasBombsAreNotExpanded() {
        StringBuilder bomb = new StringBuilder("extensions:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level < 10; level++) {
            bomb.append("  l").append(level).append(": &l").append(level).append(" [");
            for (int k = 0; k < 9; k++) {
                bomb.append(k == 0 ? "" : ", ").append("*l").append(level - 1);
            }
            bomb.append("]\n");
        }
        String yaml = ManifestCodec.toYamlString(manifest).replaceFirst("(?m)^extensions:.*\\n", "") + bomb;
        ModelManifest read = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> ManifestCodec.read(yaml.getBytes(StandardCharsets.UTF_8), "bomb.yaml"));
        assertThat(read.extensions()).hasSize(10);
        assertThat(read.extensions().toString()).hasSizeLessThan(2_000); // 10^9 "lol"s if the aliases were expanded
    }

    @Test
    void deepNestingDuplicateKeysAndOversizedDocumentsAreRefused() {
        String base = ManifestCodec.toYamlString(manifest);
        String deep = base + "extensions: " + "[".repeat(1_000) + "]".repeat(1_000) + "\n";
        assertThatThrownBy(() -> ManifestCodec.read(deep.getBytes(StandardCharsets.UTF_8), "deep.yaml"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("deep.yaml is not valid YAML");
        String duplicate = base.replaceFirst("(?m)^name: order-anomaly$", "name: order-anomaly\nname: evil");
        assertThatThrownBy(() -> ManifestCodec.read(duplicate.getBytes(StandardCharsets.UTF_8), "dup.yaml"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("dup.yaml").hasMessageContaining("name");
        // One long line: refused before parsing (SnakeYAML would take minutes over a 16 MiB comment line).
        byte[] longLine = (base + "# " + "x".repeat(16 << 20) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchThrowable(() -> ManifestCodec.read(longLine, "long.yaml"))))
                .isInstanceOf(RegistryException.class).hasMessageContaining("long.yaml has a line of 16777218 bytes");
        // Many short lines beyond the code point limit: SnakeYAML's limit stops it.
        String item = "    - " + "a".repeat(64) + "\n";
        byte[] huge = (base + "extensions:\n  big:\n" + item.repeat(ManifestCodec.MAX_CODE_POINTS / item.length() + 10))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> catchThrowable(() -> ManifestCodec.read(huge, "huge.yaml"))))
                .isInstanceOf(RegistryException.class).hasMessageContaining("huge.yaml").hasMessageContaining("code points");
    }

    @Test
    void unsafeNamesInAManifestAreRefusedByName() {
        String yaml = ManifestCodec.toYamlString(manifest).replace("name: order-anomaly", "name: ../../etc");
        assertThatThrownBy(() -> ManifestCodec.read(yaml.getBytes(StandardCharsets.UTF_8), "m.yaml"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("field 'name' ('../../etc') is not allowed: it contains a path separator");
    }
}
