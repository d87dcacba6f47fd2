package com.orderintel.runner;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** TODO: implemented by the owning work item. */
@Command(name = "promote", description = "TODO")
final class PromoteCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("promote is not implemented yet");
    }
}
