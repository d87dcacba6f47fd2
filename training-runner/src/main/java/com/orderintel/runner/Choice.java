package com.orderintel.runner;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

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

    /** Parses the word (any case) and, for anything else, names the choices as the help shows them. */
    static <E extends Enum<E>> CommandLine.ITypeConverter<E> converter(Class<E> type) {
        return value -> Arrays.stream(type.getEnumConstants())
                .filter(e -> e.toString().equalsIgnoreCase(value.strip()) || e.name().equalsIgnoreCase(value.strip()))
                .findFirst()
                .orElseThrow(() -> new CommandLine.TypeConversionException("expected one of " + Arrays.stream(type.getEnumConstants())
                        .map(Object::toString).collect(Collectors.joining(", ")) + ", got '" + value + "'"));
    }
}
