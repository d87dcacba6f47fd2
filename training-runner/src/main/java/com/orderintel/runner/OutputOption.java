package com.orderintel.runner;

import picocli.CommandLine.Option;

/** {@code -o/--output} of the registry read commands ({@code list}, {@code history}, {@code show}). */
final class OutputOption {

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "Output format, one of: ${COMPLETION-CANDIDATES}.")
    OutputFormat format;

    boolean json() {
        return format == OutputFormat.JSON;
    }
}
