package com.orderintel.runner;

import com.orderintel.registry.ModelManifest;
import com.orderintel.training.ModelPackage;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** Publishes a trained model directory; optionally points an alias at it in the same step. */
@Command(name = "publish", description = "Publish a trained model directory to the registry.")
final class PublishCommand implements Runnable {

    @Option(names = "--model-dir", required = true, description = "Directory written by 'train'.")
    Path modelDir;
    @Option(names = "--promote", description = "Also point this alias (e.g. staging, production) at it.")
    String alias;
    @Mixin
    RegistryOption registry;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        ModelManifest manifest = ModelPackage.read(modelDir);
        try (ModelStore store = registry.open()) {
            ModelUri uri = store.publish(manifest, modelDir.resolve(manifest.artifact().file()));
            spec.commandLine().getOut().println("published " + uri);
            if (alias != null) {
                ModelStore.AliasChange c = store.promote(manifest.name(), alias, manifest.version(), RegistryOption.actor(spec));
                spec.commandLine().getOut().println(PromoteCommand.describe(c));
            }
        }
    }
}
