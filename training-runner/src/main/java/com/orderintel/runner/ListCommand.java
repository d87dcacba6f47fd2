package com.orderintel.runner;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** TODO: implemented by the owning work item. */
@Command(name = "list", description = "TODO")
final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("list is not implemented yet");
    }
}
