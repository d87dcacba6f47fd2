package com.orderintel.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One immutable version of a prompt: its body with {@code {{variable}}} placeholders, the declared type of each
 * variable, and the sha256 of the file it came from (what model manifests pin).
 *
 * <p>Rendering is hand-written on purpose (about 30 lines): we only need strict substitution of declared,
 * typed variables - no sections, partials or escaping - and mustache engines render a missing variable as an
 * empty string or need extra configuration to fail; here a missing, undeclared or wrongly typed variable is
 * always an error naming the template and the variable.
 */
public record PromptTemplate(String name, String version, String sha256, Map<String, VariableType> variables,
                             String body) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    public PromptTemplate {
        variables = Map.copyOf(variables);
        Set<String> used = placeholders(body);
        Set<String> undeclared = new TreeSet<>(used);
        undeclared.removeAll(variables.keySet());
        if (!undeclared.isEmpty()) {
            throw new PromptException(id(name, version) + ": placeholders " + undeclared + " are not declared in variables");
        }
        Set<String> unused = new TreeSet<>(variables.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new PromptException(id(name, version) + ": declared variables " + unused + " are not used in the body");
        }
    }

    public String id() {
        return id(name, version);
    }

    public PromptRef ref() {
        return new PromptRef(name, version, sha256);
    }

    /** The body with every placeholder replaced; refuses missing, extra and wrongly typed values. */
    public String render(Map<String, ?> values) {
        List<String> problems = new ArrayList<>();
        for (var v : new TreeSet<>(variables.keySet())) {
            Object value = values.get(v);
            if (value == null) {
                problems.add(v + ": missing (" + variables.get(v).label() + ")");
            } else if (!variables.get(v).accepts(value)) {
                problems.add(v + ": expected " + variables.get(v).label() + " but got "
                        + value.getClass().getSimpleName());
            }
        }
        for (var k : new TreeSet<>(values.keySet())) {
            if (!variables.containsKey(k)) {
                problems.add(k + ": not a variable of this template (declared: " + new TreeSet<>(variables.keySet()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new PromptException(id() + ": cannot render: " + String.join("; ", problems));
        }
        Matcher m = PLACEHOLDER.matcher(body);
        StringBuilder out = new StringBuilder(body.length() + 64);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(values.get(m.group(1)))));
        }
        return m.appendTail(out).toString();
    }

    private static Set<String> placeholders(String body) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(body);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static String id(String name, String version) {
        return name + "@" + version;
    }

}
