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

    /** Loads within the serving budget of the environment ({@link ServingBudget#fromEnvironment()}). */
    public static ServableModel load(String modelUri) {
        return load(modelUri, ServingBudget.fromEnvironment());
    }

    /**
     * Loads a model whose serving form fits {@code budget}: the manifest is read first and its declared artifact
     * size checked against the budget before the artifact is fetched (the store then checks the bytes against that
     * size); the codec checks the serving form before building it. An alias is resolved once, by the manifest
     * read, and the artifact is loaded from that version, so a promote in between cannot mix two versions.
     */
    public static ServableModel load(String modelUri, ServingBudget budget) {
        ModelStore.LoadedArtifact loaded = fetch(modelUri, budget);
        return ModelCodecs.decode(loaded.manifest(), loaded.artifact(), budget);
    }

    /**
     * The verified artifact bytes and manifest that {@link #load} decodes, for a caller that decodes them elsewhere
     * (a Spark driver ships them to its executors): same budget check, same size and sha256 verification.
     */
    public static ModelStore.LoadedArtifact fetch(String modelUri, ServingBudget budget) {
        ModelUri uri = ModelUri.parse(modelUri);
        try (ModelStore store = ModelStores.open(uri.location())) {
            ModelManifest manifest = store.manifest(uri);
            budget.checkArtifact(manifest);
            return store.load(uri.isAlias() ? uri.withVersion(manifest.version()) : uri);
        }
    }
}
