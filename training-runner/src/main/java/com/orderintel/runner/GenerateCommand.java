package com.orderintel.runner;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** TODO: implemented by the owning work item. */
@Command(name = "generate", description = "TODO")
final class GenerateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("generate is not implemented yet");
    }
}
