package com.orderintel.runner;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** TODO: implemented by the owning work item. */
@Command(name = "publish", description = "TODO")
final class PublishCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("publish is not implemented yet");
    }
}
