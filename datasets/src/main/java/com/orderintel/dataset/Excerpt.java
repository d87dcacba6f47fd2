package com.orderintel.dataset;

/**
 * Content of a hostile file as an error message may quote it: at most {@link #MAX_CHARS} characters, control and
 * format characters (newlines, NUL, ANSI escapes, bidi overrides) escaped, so an error can neither leak more of a
 * file than a short excerpt nor forge lines or colours in a terminal or a log.
 */
public final class Excerpt {

    /** Longest excerpt of file content in an error message. */
    public static final int MAX_CHARS = 40;

    private Excerpt() {
    }

    /** At most {@link #MAX_CHARS} characters of {@code text}, escaped; "..." marks a cut. */
    public static String of(CharSequence text) {
        return of(text, MAX_CHARS);
    }

    /** At most {@code max} characters of {@code text}, escaped; "..." marks a cut. */
    public static String of(CharSequence text, int max) {
        if (text == null) {
            return "";
        }
        int n = Math.min(text.length(), max);
        StringBuilder b = new StringBuilder(n + 8);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                            || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return text.length() > max ? b.append("...").toString() : b.toString();
    }

    /** The first line of a library's message (which may quote the input), escaped and cut to 160 characters. */
    public static String message(Throwable e) {
        String m = e == null ? null : e.getMessage();
        return of(m == null ? String.valueOf(e) : m.lines().findFirst().orElse(""), 160);
    }
}
