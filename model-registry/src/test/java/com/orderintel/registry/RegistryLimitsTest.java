package com.orderintel.registry;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryLimitsTest {

    @Test
    void defaultsAndOverridesFromTheEnvironment() {
        assertThat(RegistryLimits.fromLookup(name -> null)).isEqualTo(RegistryLimits.DEFAULT);
        Map<String, String> env = Map.of("MODEL_REGISTRY_MAX_ARTIFACT_BYTES", " 1048576 ", "MODEL_REGISTRY_MAX_MANIFEST_BYTES", "65536");
        assertThat(RegistryLimits.fromLookup(env::get)).isEqualTo(new RegistryLimits(1 << 20, 1 << 16));
    }

    @Test
    void nonsenseIsRefusedByName() {
        assertThatThrownBy(() -> RegistryLimits.fromLookup(Map.of("MODEL_REGISTRY_MAX_ARTIFACT_BYTES", "1GB")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MODEL_REGISTRY_MAX_ARTIFACT_BYTES must be a positive number of bytes, not '1GB'");
        assertThatThrownBy(() -> RegistryLimits.fromLookup(Map.of("MODEL_REGISTRY_MAX_MANIFEST_BYTES", "0")::get))
                .hasMessageContaining("MODEL_REGISTRY_MAX_MANIFEST_BYTES must be a positive number");
        assertThatThrownBy(() -> RegistryLimits.fromLookup(Map.of("MODEL_REGISTRY_MAX_ARTIFACT_BYTES", "4000000000")::get))
                .hasMessageContaining("MODEL_REGISTRY_MAX_ARTIFACT_BYTES may be at most");
        assertThatThrownBy(() -> RegistryLimits.fromLookup(Map.of("MODEL_REGISTRY_MAX_MANIFEST_BYTES", "100000000")::get))
                .hasMessageContaining("MODEL_REGISTRY_MAX_MANIFEST_BYTES at most");
    }
}
