package com.orderintel.runner;

import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.Manifests;
import com.orderintel.registry.ModelManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Model package directories (manifest + artifact, as 'train' leaves them) for the registry command tests. */
final class ModelDirs {

    private ModelDirs() {
    }

    static Path write(Path dir, String name, String version, byte[] artifact) throws IOException {
        Files.createDirectories(dir);
        ModelManifest m = Manifests.forArtifact(name, version, artifact);
        Files.write(dir.resolve(m.artifact().file()), artifact);
        Files.write(dir.resolve(ManifestCodec.FILE_NAME), ManifestCodec.write(m));
        return dir;
    }
}
