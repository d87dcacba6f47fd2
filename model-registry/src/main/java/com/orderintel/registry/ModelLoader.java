package com.orderintel.registry;

/**
 * MODEL_URI to serving model: parse, pick the store by scheme, fetch and verify, decode.
 *
 * <p>Each load opens its store and closes it (the S3 store's client with it) rather than caching one store
 * per location: loads are rare (start-up, an admin reload), a client costs little next to the download, and a
 * cache keyed by caller-supplied locations would grow with every distinct URI ever tried and keep clients (and
 * the credentials they resolved) alive for the life of the process.
 */
public final class ModelLoader {

    private ModelLoader() {
    }

    public static ServableModel load(String modelUri) {
        ModelUri uri = ModelUri.parse(modelUri);
        try (ModelStore store = ModelStores.open(uri.location())) {
            ModelStore.LoadedArtifact loaded = store.load(uri);
            return ModelCodecs.decode(loaded.manifest(), loaded.artifact());
        }
    }
}
