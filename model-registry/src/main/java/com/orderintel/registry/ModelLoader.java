package com.orderintel.registry;

/** MODEL_URI to serving model: parse, pick the store by scheme, fetch and verify, decode. */
public final class ModelLoader {

    private ModelLoader() {
    }

    public static ServableModel load(String modelUri) {
        ModelUri uri = ModelUri.parse(modelUri);
        ModelStore.LoadedArtifact loaded = ModelStores.open(uri.location()).load(uri);
        return ModelCodecs.decode(loaded.manifest(), loaded.artifact());
    }
}
