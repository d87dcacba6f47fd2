package com.orderintel.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static com.orderintel.registry.RegistryException.Reason.INVALID_MANIFEST;

/**
 * Reads and writes {@link ModelManifest} as YAML. Reading validates the required fields and reports every
 * problem at once, naming the manifest's origin and the field path, so an operator can fix it in one go.
 */
public final class ManifestCodec {

    public static final String FILE_NAME = "manifest.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private ManifestCodec() {
    }

    public static byte[] write(ModelManifest manifest) {
        List<String> problems = problems(manifest);
        if (!problems.isEmpty()) {
            throw new RegistryException(INVALID_MANIFEST, "refusing to write manifest of '" + manifest.name()
                    + "': " + String.join("; ", problems));
        }
        try {
            return YAML.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new RegistryException(INVALID_MANIFEST, "cannot serialise manifest: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses and validates; {@code origin} (a path or URI) is used in error messages. */
    public static ModelManifest read(byte[] yaml, String origin) {
        ModelManifest manifest;
        try {
            manifest = YAML.readValue(yaml, ModelManifest.class);
        } catch (java.io.IOException e) {
            String why = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new RegistryException(INVALID_MANIFEST, "manifest " + origin + " is not valid YAML for a model manifest: "
                    + firstLine(why), e);
        }
        if (manifest == null) {
            throw new RegistryException(INVALID_MANIFEST, "manifest " + origin + " is empty");
        }
        if (manifest.schemaVersion() > ModelManifest.SCHEMA_VERSION) {
            throw new RegistryException(INVALID_MANIFEST, "manifest " + origin + " has schemaVersion "
                    + manifest.schemaVersion() + "; this reader supports up to " + ModelManifest.SCHEMA_VERSION
                    + " (upgrade the reader)");
        }
        List<String> problems = problems(manifest);
        if (!problems.isEmpty()) {
            throw new RegistryException(INVALID_MANIFEST, "manifest " + origin + ": " + String.join("; ", problems));
        }
        return manifest;
    }

    public static String toYamlString(ModelManifest manifest) {
        return new String(write(manifest), StandardCharsets.UTF_8);
    }

    static List<String> problems(ModelManifest m) {
        List<String> p = new ArrayList<>();
        if (m.schemaVersion() < 1) {
            p.add("missing required field 'schemaVersion'");
        }
        required(p, "name", m.name());
        required(p, "version", m.version());
        if (m.name() != null && !ModelUriParser.SEGMENT.matcher(m.name()).matches()) {
            p.add("field 'name' ('" + m.name() + "') must match " + ModelUriParser.SEGMENT.pattern());
        }
        if (m.version() != null && !ModelUriParser.SEGMENT.matcher(m.version()).matches()) {
            p.add("field 'version' ('" + m.version() + "') must match " + ModelUriParser.SEGMENT.pattern());
        }
        required(p, "task", m.task());
        required(p, "createdAt", m.createdAt());
        if (m.algorithm() == null) {
            p.add("missing required field 'algorithm'");
        } else {
            required(p, "algorithm.name", m.algorithm().name());
        }
        if (m.features() == null || m.features().isEmpty()) {
            p.add("missing required field 'features'");
        } else {
            for (int i = 0; i < m.features().size(); i++) {
                ModelManifest.FeatureSpec f = m.features().get(i);
                required(p, "features[" + i + "].name", f.name());
                required(p, "features[" + i + "].type", f.type());
                ModelManifest.Histogram h = f.histogram();
                if (h != null && (h.edges() == null || h.fractions() == null
                        || h.edges().size() != h.fractions().size() + 1)) {
                    p.add("features[" + i + "].histogram needs edges.size() == fractions.size() + 1");
                }
            }
        }
        if (m.artifact() == null) {
            p.add("missing required field 'artifact'");
        } else {
            required(p, "artifact.file", m.artifact().file());
            required(p, "artifact.format", m.artifact().format());
            required(p, "artifact.sha256", m.artifact().sha256());
            if (m.artifact().sha256() != null && !m.artifact().sha256().matches("[0-9a-f]{64}")) {
                p.add("field 'artifact.sha256' is not 64 lower-case hex digits");
            }
            if (m.artifact().file() != null && !ModelUriParser.SEGMENT.matcher(m.artifact().file()).matches()) {
                p.add("field 'artifact.file' must be a plain file name");
            }
            if (m.artifact().size() <= 0) {
                p.add("missing required field 'artifact.size'");
            }
        }
        return p;
    }

    private static void required(List<String> problems, String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            problems.add("missing required field '" + field + "'");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
