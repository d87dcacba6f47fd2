package com.orderintel.models;

import com.orderintel.registry.Manifests;
import com.orderintel.registry.ModelCodecs;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Smile GBT demand model ({@code gbt-flat/v1}) was retired in favour of the XGBoost one ({@code gbt-flat/v2}): a
 * manifest that still names it is refused by name before its artifact is read, like any format this release lacks.
 */
@Tag("attack")
class RetiredFormatTest {

    @Test
    void aManifestNamingTheRetiredSmileFormatIsRefusedAsUnsupported() {
        byte[] artifact = {0x4F, 0x49, 0x47, 0x42, 0, 0, 0, 1};
        ModelManifest m = Manifests.forArtifact("demand-forecast", "old", artifact);
        ModelManifest v1 = new ModelManifest(m.schemaVersion(), m.name(), m.version(), ModelManifest.Task.REGRESSION,
                m.algorithm(), m.target(), m.features(), m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(),
                new ModelManifest.ArtifactRef("model.gbt", "gbt-flat/v1", m.artifact().sha256(), m.artifact().size()),
                m.libraries(), m.extensions());
        assertThatThrownBy(() -> ModelCodecs.decode(v1, artifact))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.INVALID_MANIFEST))
                .hasMessageContaining("unsupported artifact format 'gbt-flat/v1'")
                .hasMessageContaining("gbt-flat/v2");
    }
}
