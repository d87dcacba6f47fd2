package com.orderintel.prompt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * All known prompt template versions, keyed by {@code name@version}. A model gets its templates through
 * {@link #resolve(PromptRef)}: the template's sha256 must equal the one pinned in the model's manifest, so a
 * prompt edited after the model was validated is refused instead of silently served.
 */
public final class PromptRegistry {

    private final Map<String, PromptTemplate> templates;

    public PromptRegistry(Collection<PromptTemplate> templates) {
        this.templates = templates.stream().collect(Collectors.toMap(PromptTemplate::id, Function.identity(),
                (a, b) -> {
                    throw new PromptException("prompt " + a.id() + " is defined twice");
                }, TreeMap::new));
    }

    /** Loads {@code <root>/<name>/<version>.md} (or {@code .txt}). */
    public static PromptRegistry fromDirectory(Path root) {
        try (Stream<Path> files = Files.walk(root, 2)) {
            List<PromptTemplate> list = files.filter(Files::isRegularFile)
                    .filter(p -> root.relativize(p).getNameCount() == 2)
                    .filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".txt"))
                    .map(p -> {
                        String file = p.getFileName().toString();
                        String version = file.substring(0, file.lastIndexOf('.'));
                        try {
                            return PromptParser.parse(p.getParent().getFileName().toString(), version,
                                    Files.readAllBytes(p));
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read prompt file " + p, e);
                        }
                    })
                    .toList();
            return new PromptRegistry(list);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list prompt directory " + root, e);
        }
    }

    /** The template with this name and version, whatever its checksum (for tooling, not for serving). */
    public PromptTemplate get(String name, String version) {
        PromptTemplate t = templates.get(PromptTemplate.id(name, version));
        if (t == null) {
            throw new PromptException("prompt " + PromptTemplate.id(name, version) + " not found (known: "
                    + templates.keySet() + ")");
        }
        return t;
    }

    /** The pinned template, refused if its content no longer matches the manifest's sha256. */
    public PromptTemplate resolve(PromptRef ref) {
        PromptTemplate t = get(ref.name(), ref.version());
        if (!t.sha256().equalsIgnoreCase(ref.sha256())) {
            throw new PromptException("prompt " + t.id() + " refused: sha256 " + t.sha256()
                    + " does not match " + ref.sha256() + " pinned in the model manifest");
        }
        return t;
    }

    /** Resolves every ref (e.g. all prompts of one manifest), failing on the first mismatch. */
    public List<PromptTemplate> resolveAll(List<PromptRef> refs) {
        return refs.stream().map(this::resolve).toList();
    }

    public Collection<PromptTemplate> all() {
        return templates.values();
    }
}
