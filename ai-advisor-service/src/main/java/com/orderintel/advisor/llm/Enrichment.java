package com.orderintel.advisor.llm;

import java.util.Map;

/**
 * The features derived from one text. {@code source} says where the embedding came from ({@code provider},
 * {@code cache} or {@code fallback}); vectors from different {@code embeddingModel}s must not be compared.
 * {@code fallbacks} maps an operation ({@code embeddings}, {@code chat}) to the reason the fallback answered.
 */
@com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Enrichment(float[] embedding, int dimensions, String embeddingModel, Source source,
                         String summary, String category, Source summarySource, Map<String, String> fallbacks) {

    public enum Source {
        PROVIDER, CACHE, FALLBACK;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
