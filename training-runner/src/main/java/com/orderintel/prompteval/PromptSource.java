package com.orderintel.prompteval;

import com.orderintel.dataset.DataException;
import com.orderintel.prompt.PromptParser;
import com.orderintel.prompt.PromptTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A prompt version's file: from a directory laid out as {@code <dir>/<name>/<version>.md} (a candidate not yet
 * committed) or, by default, from the templates shipped in the llm module ({@code classpath:prompts/...}), which are
 * the ones the service serves.
 */
public record PromptSource(String file, byte[] content, PromptTemplate template) {

    /** {@code NAME@VERSION}, e.g. {@code order-note-features@v1}. */
    public static PromptSource load(String nameAtVersion, Path dir) {
        int at = nameAtVersion.indexOf('@');
        if (at <= 0 || at == nameAtVersion.length() - 1 || nameAtVersion.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("--prompt must be NAME@VERSION, e.g. order-note-features@v1, but was '"
                    + nameAtVersion + "'");
        }
        String name = nameAtVersion.substring(0, at);
        String version = nameAtVersion.substring(at + 1);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}") || !version.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("--prompt '" + nameAtVersion + "': name and version must be plain names "
                    + "([A-Za-z0-9._-])");
        }
        for (String ext : new String[] {".md", ".txt"}) {
            byte[] content = dir == null ? classpath("/prompts/" + name + "/" + version + ext)
                    : file(dir.resolve(name).resolve(version + ext));
            if (content != null) {
                return new PromptSource(version + ext, content, PromptParser.parse(name, version, content));
            }
        }
        throw new DataException("prompt " + nameAtVersion + " not found "
                + (dir == null ? "among the shipped templates (classpath prompts/" + name + "/" + version + ".md); "
                + "use --prompts-dir for a candidate" : "in " + dir.resolve(name) + " (" + version + ".md or .txt)"));
    }

    private static byte[] classpath(String resource) {
        try (InputStream in = PromptSource.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] file(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt file " + p, e);
        }
    }
}
