package com.orderintel.prompt;

import com.orderintel.registry.ModelManifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A prompt template a model was built and validated with, as listed in its manifest under
 * {@code extensions.prompts: [{name, version, sha256}]}.
 */
public record PromptRef(String name, String version, String sha256) {

    public static final String EXTENSION_KEY = "prompts";

    /** The prompts listed in a manifest's extensions (empty if none); a malformed entry is refused. */
    public static List<PromptRef> fromManifest(ModelManifest manifest) {
        Map<String, Object> ext = manifest.extensions();
        if (ext == null || ext.get(EXTENSION_KEY) == null) {
            return List.of();
        }
        String where = "manifest " + manifest.name() + "/" + manifest.version() + " extensions." + EXTENSION_KEY;
        if (!(ext.get(EXTENSION_KEY) instanceof List<?> list)) {
            throw new PromptException(where + ": expected a list of {name, version, sha256}");
        }
        List<PromptRef> refs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new PromptException(where + "[" + i + "]: expected {name, version, sha256}");
            }
            refs.add(new PromptRef(field(m, "name", where, i), field(m, "version", where, i),
                    field(m, "sha256", where, i)));
        }
        return List.copyOf(refs);
    }

    /** The manifest extension entry for this ref (what a trainer/publisher writes). */
    public Map<String, Object> toExtension() {
        return Map.of("name", name, "version", version, "sha256", sha256);
    }

    private static String field(Map<?, ?> m, String key, String where, int i) {
        Object v = m.get(key);
        if (v == null || v.toString().isBlank()) {
            throw new PromptException(where + "[" + i + "]." + key + ": missing");
        }
        return v.toString();
    }
}
