package com.orderintel.runner;

import com.orderintel.registry.ModelManifest;
import com.orderintel.training.ModelPackage;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.orderintel.registry.RegistryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Publishes a trained model directory; optionally points an alias at it in the same step. */
@Command(name = "publish", description = "Publish a trained model directory to the registry.")
final class PublishCommand extends RegistryCommand {

    @Option(names = "--model-dir", required = true, description = "Directory written by 'train'.")
    Path modelDir;
    @Option(names = "--promote", description = "Also point this alias (e.g. staging, production) at it.")
    String alias;

    static final String REPORT = "report.html";

    @Override
    int call(ModelStore store) {
        ModelManifest manifest = ModelPackage.read(modelDir);
        ModelUri uri = store.publish(manifest, modelDir.resolve(manifest.artifact().file()));
        out().println("published " + uri);
        Path report = modelDir.resolve(REPORT);
        if (Files.isRegularFile(report)) { // the training report travels with the version (the console shows it)
            try {
                store.attach(manifest.name(), manifest.version(), REPORT, Files.readAllBytes(report));
            } catch (IOException | RegistryException e) {
                spec.commandLine().getErr().println("warning: " + REPORT + " not attached: " + e.getMessage());
            }
        }
        if (alias != null) {
            out().println(PromoteCommand.describe(store.promote(manifest.name(), alias, manifest.version(), actor())));
        }
        return 0;
    }
}
