package com.orderintel.runner;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** TODO: implemented by the owning work item. */
@Command(name = "infer", description = "TODO")
final class InferCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("infer is not implemented yet");
    }
}
