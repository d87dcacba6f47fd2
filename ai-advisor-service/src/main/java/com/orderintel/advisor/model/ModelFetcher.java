package com.orderintel.advisor.model;

import com.orderintel.registry.ServableModel;

/**
 * MODEL_URI to decoded model. In production this is {@link com.orderintel.registry.ModelLoader#load}, which picks
 * the store by scheme and verifies the artifact's sha256; a seam so that loading policy (retries, validation,
 * swap) does not depend on where bytes come from.
 */
@FunctionalInterface
public interface ModelFetcher {
    ServableModel fetch(String modelUri);
}
