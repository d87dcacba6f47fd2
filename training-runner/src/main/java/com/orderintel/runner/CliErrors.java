package com.orderintel.runner;

import com.orderintel.dataset.DataException;
import com.orderintel.registry.RegistryException;
import picocli.CommandLine;

/**
 * Turns failures into one line on stderr and an exit code: 2 for bad input (data, arguments, registry
 * refusals such as a checksum mismatch), 1 for anything unexpected. No stack traces reach the user.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {

    static final int BAD_INPUT = 2;
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        Throwable t = e;
        if (t instanceof java.io.UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        boolean badInput = t instanceof DataException || t instanceof RegistryException
                || t instanceof IllegalArgumentException;
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        cmd.getErr().println("error: " + message.lines().findFirst().orElse(message));
        cmd.getErr().flush();
        return badInput ? BAD_INPUT : FAILURE;
    }
}
