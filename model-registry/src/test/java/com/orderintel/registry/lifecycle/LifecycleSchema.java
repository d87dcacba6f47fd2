package com.orderintel.registry.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** docs/schemas/lifecycle-event.schema.json, the published contract, as a validator (formats asserted). */
final class LifecycleSchema {

    static final Path FILE = Path.of("..", "docs", "schemas", "lifecycle-event.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private LifecycleSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = Files.newInputStream(FILE)) {
            // its relative $id resolves against the file's own location
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(FILE.toAbsolutePath().toUri(),
                    JSON.readTree(in), SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema's complaints about {@code body} (empty: valid). */
    static List<String> problems(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return SCHEMA.validate(node).stream().map(ValidationMessage::getMessage).toList();
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }
}
