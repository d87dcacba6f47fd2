package com.orderintel.registry;

import java.util.regex.Pattern;

import static com.orderintel.registry.RegistryException.Reason.INVALID_URI;

/**
 * The one rule for model names, versions and aliases, which become path segments and object keys in every
 * store: letters, digits, dot, dash, underscore, starting with a letter or digit, at most 128 characters. So
 * {@code ../}, {@code /}, control characters and absurd lengths never reach a path or a key. Refusals say which
 * rule was broken and quote the value safely (control characters escaped, long values cut), because the value
 * is untrusted and ends up in logs and HTTP problems.
 */
public final class ModelNames {

    static final int MAX_LENGTH = 128;
    static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private ModelNames() {
    }

    /** {@code value} if it is a valid {@code what} ("model name", "version", "alias"), else INVALID_URI naming the problem. */
    public static String check(String what, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new RegistryException(INVALID_URI, what + " " + quote(value) + " is not allowed: " + problem);
        }
        return value;
    }

    /** Why {@code value} is not a valid name, or null when it is. */
    public static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "it is empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "it is " + value.length() + " characters long (at most " + MAX_LENGTH + ")";
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            return "it contains a control character";
        }
        if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
            return "it contains a path separator";
        }
        if (value.equals("..") || value.equals(".")) {
            return "it is a relative path";
        }
        if (!SEGMENT.matcher(value).matches()) {
            return "it must match " + SEGMENT.pattern();
        }
        return null;
    }

    /** The value in single quotes, control characters as \\uXXXX, cut to 80 characters: safe to log. */
    public static String quote(String value) {
        return quote(value, 80);
    }

    /** As {@link #quote(String)}, cut to {@code max} characters. */
    public static String quote(String value, int max) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder("'");
        int shown = Math.min(value.length(), max);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('\'');
        if (value.length() > shown) {
            b.append("... (").append(value.length()).append(" characters)");
        }
        return b.toString();
    }
}
