package com.orderintel.prompt;

import java.util.Locale;

/** The type a prompt variable must have; a value of another type is refused at render time. */
public enum VariableType {
    STRING, INTEGER, NUMBER, BOOLEAN;

    /** True if {@code value} is of this type (an INTEGER is also a valid NUMBER). */
    public boolean accepts(Object value) {
        return switch (this) {
            case STRING -> value instanceof CharSequence;
            case INTEGER -> value instanceof Integer || value instanceof Long || value instanceof Short;
            case NUMBER -> value instanceof Number n && Double.isFinite(n.doubleValue());
            case BOOLEAN -> value instanceof Boolean;
        };
    }

    static VariableType parse(String text, String where) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PromptException(where + ": unknown variable type '" + text + "' (string, integer, number, boolean)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
