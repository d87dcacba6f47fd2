package com.orderintel.runner;

import com.orderintel.dataset.DataException;
import com.orderintel.registry.RegistryException;
import picocli.CommandLine;

import java.util.List;

/**
 * Turns failures into one line on stderr and an exit code: 2 for bad input (data, arguments, registry
 * refusals such as a checksum mismatch) and usage errors, 1 for anything unexpected. No stack traces reach
 * the user. Usage errors name the command's {@code --help} instead of printing the whole usage.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

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

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        StringBuilder line = new StringBuilder("error: ").append(e.getMessage().lines().findFirst().orElse(""));
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append(" (did you mean ").append(String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))))
                        .append("?)");
            }
        }
        line.append(" - see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help'");
        cmd.getErr().println(line);
        cmd.getErr().flush();
        return BAD_INPUT;
    }
}
