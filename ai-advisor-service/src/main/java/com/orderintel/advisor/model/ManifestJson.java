package com.orderintel.advisor.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.orderintel.registry.ModelManifest;

import java.util.Map;

/**
 * The manifest as the snake_case JSON tree the API returns (same field names as manifest.yaml), independent
 * of the application's ObjectMapper settings.
 */
final class ManifestJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private ManifestJson() {
    }

    static Map<String, Object> toMap(ModelManifest manifest) {
        return MAPPER.convertValue(manifest, new TypeReference<>() { });
    }
}
