package com.orderintel.runner;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** TODO: implemented by the owning work item. */
@Command(name = "evaluate", description = "TODO")
final class EvaluateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("evaluate is not implemented yet");
    }
}
