package com.orderintel.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Excerpt;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** YAML form of {@link SnapshotManifest}, in the style of the model manifests (camelCase keys, ISO instants). */
public final class SnapshotManifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE))
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private SnapshotManifests() {
    }

    public static void write(SnapshotManifest manifest, Path file) {
        try {
            YAML.writeValue(file.toFile(), manifest);
        } catch (IOException e) {
            throw new DataException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Largest manifest read (ours are a few KB); checked against the file's size before it is read. */
    static final long MAX_BYTES = 1 << 20;

    /** Fetches a manifest, refused by its declared size above {@link #MAX_BYTES} before it is downloaded. */
    static Path fetch(SnapshotStorage storage, URI uri, Path scratch) {
        return storage.fetch(uri, scratch, MAX_BYTES, size -> tooLarge(uri.toString(), size));
    }

    private static String tooLarge(String origin, long size) {
        return origin + " is " + size + " bytes, above the limit of " + MAX_BYTES + " for a dataset snapshot manifest";
    }

    /** Reads a snapshot manifest; {@code origin} (its URI) names it in errors, which quote at most a short excerpt. */
    public static SnapshotManifest read(Path file, String origin) {
        SnapshotManifest m;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new DataException(tooLarge(origin, size));
            }
            m = YAML.readValue(Files.readAllBytes(file), SnapshotManifest.class);
        } catch (IOException e) {
            throw new DataException(origin + " is not a dataset snapshot manifest: " + Excerpt.message(e), e);
        }
        if (m == null || m.snapshotId() == null || m.parts() == null) {
            throw new DataException(origin + " is not a dataset snapshot manifest (no snapshotId or parts)");
        }
        if (m.schemaVersion() > SnapshotManifest.SCHEMA_VERSION) {
            throw new DataException(origin + " has schemaVersion " + m.schemaVersion() + "; this runner reads up to "
                    + SnapshotManifest.SCHEMA_VERSION);
        }
        return m;
    }
}
