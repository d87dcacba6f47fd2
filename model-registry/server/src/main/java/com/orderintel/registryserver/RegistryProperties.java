package com.orderintel.registryserver;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * {@code registry}: where the store is and how moves are governed.
 *
 * @param uri           REGISTRY_URI: the store, {@code file:///...} or {@code s3://bucket/prefix} (as MODEL_URI's location)
 * @param datasetsUri   REGISTRY_DATASETS_URI: where {@code dataset export} writes snapshots ({@code --out}); unset: no datasets page
 * @param publicUrl     REGISTRY_PUBLIC_URL: this server as users reach it, named in the refusal a direct promote of a
 *                      guarded alias gets (written into the store's policy)
 * @param approval      REGISTRY_APPROVAL: aliases that move only through an approved request; when set (even
 *                      empty) it is written to the store's policy at start-up, so the CLI obeys it too; unset: the
 *                      store's policy is left as it is
 */
@ConfigurationProperties("registry")
public record RegistryProperties(String uri, String datasetsUri, String publicUrl, List<String> approval) {

    public RegistryProperties {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("registry.uri (REGISTRY_URI) is required: file:///path/to/registry or s3://bucket/prefix");
        }
    }
}
