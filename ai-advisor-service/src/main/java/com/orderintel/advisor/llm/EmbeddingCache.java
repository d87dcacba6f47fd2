package com.orderintel.advisor.llm;

import java.util.Optional;

/** Embeddings reused across inferences, keyed by embedding model and the sha256 of the text. */
public interface EmbeddingCache {

    /** The cached vector, or empty on a miss (or when the cache is unavailable). */
    Optional<float[]> get(String model, String text);

    void put(String model, String text, float[] embedding);

    /** Used when {@code advisor.llm.cache.enabled=false}. */
    EmbeddingCache DISABLED = new EmbeddingCache() {
        @Override
        public Optional<float[]> get(String model, String text) {
            return Optional.empty();
        }

        @Override
        public void put(String model, String text, float[] embedding) { }
    };
}
