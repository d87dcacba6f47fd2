package com.orderintel.runner;

import java.util.Locale;

/**
 * Helps the CLI's choice enums print (in help, completion and errors) and parse as lower-case words, so the
 * help says {@code ols, gbt} while the Java constants keep their conventional names.
 */
final class Choice {

    private Choice() {
    }

    static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
