package com.orderintel.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.yaml.snakeyaml.LoaderOptions;

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

    /**
     * The most code points any manifest or alias file is parsed with, whatever {@link RegistryLimits} a store
     * uses (stores refuse bigger objects by size before parsing; this also bounds direct callers).
     */
    static final int MAX_CODE_POINTS = 4 << 20;

    /**
     * Longest line accepted. SnakeYAML scans one long token (a comment, a plain scalar) in time quadratic in its
     * length (measured: a 2 MiB comment line 3.4 s, 16 MiB 300 s; 4 MiB of short lines 0.6 s), and the code
     * point limit does not count comments. Our manifests are written one field per line (longest ~100 bytes),
     * so a line above 64 KiB is refused before parsing. Hand-written: a byte scan, no library knob exists.
     */
    static final int MAX_LINE_BYTES = 64 << 10;

    private static final ObjectMapper YAML = new ObjectMapper(boundedYamlFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private ManifestCodec() {
    }

    /**
     * A YAML factory for untrusted registry files, through jackson-dataformat-yaml's builder: SnakeYAML's
     * {@link LoaderOptions} (few aliases, shallow nesting, a code point limit, no duplicate keys) and Jackson's
     * own {@link StreamReadConstraints} (nesting depth, string length). Jackson does not expand YAML aliases
     * (an alias reads as its anchor's name), so a "billion laughs" document cannot amplify; the limits bound the
     * rest. Duplicate keys are refused: a manifest with two {@code sha256} fields must not pick one silently.
     */
    static YAMLFactoryBuilder boundedYamlFactory() {
        LoaderOptions loader = new LoaderOptions();
        loader.setMaxAliasesForCollections(10);
        loader.setNestingDepthLimit(32);
        loader.setCodePointLimit(MAX_CODE_POINTS);
        loader.setAllowDuplicateKeys(false);
        loader.setAllowRecursiveKeys(false);
        return YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
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
        checkLines(yaml, "manifest " + origin);
        ModelManifest manifest;
        try {
            manifest = YAML.readValue(yaml, ModelManifest.class);
        } catch (java.io.IOException e) {
            throw new RegistryException(INVALID_MANIFEST, "manifest " + origin + " is not valid YAML for a model manifest: "
                    + parseProblem(e), e);
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

    /** Refuses a YAML document with a line longer than {@link #MAX_LINE_BYTES} (see there why). */
    static void checkLines(byte[] yaml, String what) {
        int lineStart = 0;
        for (int i = 0; i <= yaml.length; i++) {
            if (i == yaml.length || yaml[i] == '\n') {
                if (i - lineStart > MAX_LINE_BYTES) {
                    throw new RegistryException(INVALID_MANIFEST, what + " has a line of " + (i - lineStart)
                            + " bytes (at most " + MAX_LINE_BYTES + "); refusing to parse it");
                }
                lineStart = i + 1;
            }
        }
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
        if (m.name() != null && !m.name().isBlank() && ModelNames.problem(m.name()) != null) {
            p.add("field 'name' (" + ModelNames.quote(m.name()) + ") is not allowed: " + ModelNames.problem(m.name()));
        }
        if (m.version() != null && !m.version().isBlank() && ModelNames.problem(m.version()) != null) {
            p.add("field 'version' (" + ModelNames.quote(m.version()) + ") is not allowed: " + ModelNames.problem(m.version()));
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
            if (m.artifact().file() != null && !ModelNames.SEGMENT.matcher(m.artifact().file()).matches()) {
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

    /**
     * What is wrong with a document that did not parse, by kind, field path and line/column only. Jackson's and
     * SnakeYAML's own messages quote the offending text (a whole file read as one string, e.g. a manifest linked to
     * /etc/passwd), and these messages reach logs and HTTP problems; so no byte of the document is repeated beyond
     * field names, quoted safely and cut short.
     */
    static String parseProblem(java.io.IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof org.yaml.snakeyaml.error.YAMLException && m.startsWith("The incoming YAML document exceeds the limit")) {
                return m.lines().findFirst().orElse(m); // SnakeYAML's fixed text: the limit, no content
            }
        }
        String where = "";
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null && jpe.getLocation().getLineNr() > 0) {
            where = " at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr();
        }
        if (e instanceof JsonMappingException jme && !(e instanceof com.fasterxml.jackson.core.JsonParseException)) {
            String path = fieldPath(jme);
            return (path.isEmpty() ? "not a mapping of manifest fields" : "field " + path + " has a value of the wrong type")
                    + where;
        }
        if (e instanceof JsonProcessingException jpe && jpe.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p
                && String.valueOf(jpe.getOriginalMessage()).startsWith("Duplicate field")) {
            String name;
            try {
                name = p.currentName();
            } catch (java.io.IOException | RuntimeException ignored) {
                name = null;
            }
            return "duplicate field" + (name == null ? "" : " " + ModelNames.quote(name, 40)) + where;
        }
        if (e instanceof StreamConstraintsException) {
            return "above the parser's limits" + where;
        }
        return "malformed YAML" + where;
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : ModelNames.quote(path.toString(), 80);
    }
}
