package com.orderintel.dataset;

/**
 * The one rule for free-text keys (order ids, product ids) on every entry point: REST, Open Inference Protocol,
 * {@code order.created} events and batch CSV. An identifier is 1 to {@value #MAX_LENGTH} characters (UTF-16 code
 * units, so at most 512 bytes in UTF-8), each a letter or a decimal digit of any script, or one of
 * {@value #PUNCTUATION}. Nothing else: no spaces, no control characters (PostgreSQL text cannot hold NUL, and a NUL
 * once stalled capture), no backslash (COPY's escape), no unpaired surrogate (not encodable in UTF-8).
 *
 * <p>An identifier is a key: it is stored, indexed, used for de-duplication, logged and echoed in alerts, so a short,
 * printable, storable value is what every consumer can rely on. Messages never quote the value (it is hostile
 * until checked); they name the offending character by its code point.
 */
public final class Identifiers {

    /** Longest identifier, in characters. */
    public static final int MAX_LENGTH = 128;
    /** The punctuation an identifier may carry besides letters and digits. */
    public static final String PUNCTUATION = "-_.:/#@";
    /** The rule in words, for error messages and documentation. */
    public static final String RULE = "1 to " + MAX_LENGTH + " letters, digits and " + String.join(" ", PUNCTUATION.split(""));

    private Identifiers() {
    }

    /** True when {@code value} is a valid identifier (null is not). */
    public static boolean isValid(String value) {
        return problem(value) == null;
    }

    /**
     * Why {@code value} is not a valid identifier, phrased to follow the field's name ("is 302 characters, over the
     * limit of 128"), or null when it is one. A null value is "missing": callers with an optional field check null
     * themselves.
     */
    public static String problem(String value) {
        if (value == null) {
            return "is missing";
        }
        int length = value.length();
        if (length == 0) {
            return "is empty (" + RULE + ")";
        }
        if (length > MAX_LENGTH) {
            return "is " + length + " characters, over the limit of " + MAX_LENGTH;
        }
        for (int i = 0; i < length; ) {
            int cp = value.codePointAt(i);
            if (!allowed(cp)) {
                String what = Character.isSurrogate((char) cp) ? "an unpaired surrogate"
                        : Character.isISOControl(cp) ? "the control character" : "the character";
                return String.format(java.util.Locale.ROOT, "contains %s U+%04X at position %d (allowed: %s)", what, cp,
                        i + 1, RULE);
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static boolean allowed(int cp) {
        return cp < 128 ? (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                || PUNCTUATION.indexOf(cp) >= 0
                : Character.isLetter(cp) || Character.isDigit(cp);
    }
}
