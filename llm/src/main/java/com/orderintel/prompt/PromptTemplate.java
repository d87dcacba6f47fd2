package com.orderintel.prompt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
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
 *
 * <p>{@code data} variables (front matter {@code data: [note]}) are untrusted text such as a customer's note: they
 * are never spliced into the body. {@link #messages(Map)} sends the body as the system message and the data as a
 * separate user message holding one JSON object ({@code {"note": "..."}}, serialised by Jackson), so no text inside a
 * value can close a quote or a block of the instructions; the body must tell the model that this object is data.
 */
public record PromptTemplate(String name, String version, String sha256, Map<String, VariableType> variables,
                             String body, List<String> data) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One chat message of a rendered prompt ({@code system} or {@code user}). */
    public record Message(String role, String content) { }

    /** A template without data variables: the whole rendered body is one user message. */
    public PromptTemplate(String name, String version, String sha256, Map<String, VariableType> variables, String body) {
        this(name, version, sha256, variables, body, List.of());
    }

    public PromptTemplate {
        variables = Map.copyOf(variables);
        data = List.copyOf(data);
        Set<String> inBody = new TreeSet<>(data);
        inBody.retainAll(placeholders(body));
        if (!inBody.isEmpty()) {
            throw new PromptException(id(name, version) + ": data variables " + inBody + " must not be placeholders in "
                    + "the body (they are sent as a separate JSON message)");
        }
        Set<String> undeclaredData = new TreeSet<>(data);
        undeclaredData.removeAll(variables.keySet());
        if (!undeclaredData.isEmpty()) {
            throw new PromptException(id(name, version) + ": data variables " + undeclaredData + " are not declared in variables");
        }
        Set<String> used = placeholders(body);
        used.addAll(data);
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

    /**
     * The body with every placeholder replaced; refuses missing, extra and wrongly typed values. Only for a template
     * without data variables (its data would otherwise be left out): use {@link #messages(Map)}, which serves both.
     */
    public String render(Map<String, ?> values) {
        if (!data.isEmpty()) {
            throw new PromptException(id() + ": has data variables " + data + "; render it as chat messages");
        }
        return substitute(values);
    }

    /**
     * The chat messages to send: without data variables one user message (the rendered body, as {@link #render}
     * gives it); with them the rendered body as the system message and a user message holding only the JSON object
     * of the data values, in declared order.
     */
    public List<Message> messages(Map<String, ?> values) {
        String instructions = substitute(values);
        if (data.isEmpty()) {
            return List.of(new Message("user", instructions));
        }
        ObjectNode object = JSON.createObjectNode();
        for (String d : data) {
            Object v = values.get(d);
            switch (v) {
                case CharSequence cs -> object.put(d, cs.toString());
                case Boolean b -> object.put(d, b);
                case Number n -> object.put(d, new BigDecimal(n.toString()));
                default -> throw new PromptException(id() + ": data variable " + d + " has an unsupported value");
            }
        }
        return List.of(new Message("system", instructions), new Message("user", object.toString()));
    }

    private String substitute(Map<String, ?> values) {
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
