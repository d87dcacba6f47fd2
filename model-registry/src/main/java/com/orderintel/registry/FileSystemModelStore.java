package com.orderintel.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The embedded default store: the registry layout on a local filesystem. TODO(registry helper): implement. */
public final class FileSystemModelStore implements ModelStore {

    private final Path root;

    private FileSystemModelStore(Path root) {
        this.root = root;
    }

    public static FileSystemModelStore at(String location) {
        return new FileSystemModelStore(Path.of(java.net.URI.create(location)));
    }

    public static FileSystemModelStore at(Path root) {
        return new FileSystemModelStore(root.toAbsolutePath());
    }

    @Override public ModelUri publish(ModelManifest manifest, Path artifactFile) { throw new UnsupportedOperationException("TODO"); }
    @Override public LoadedArtifact load(ModelUri uri) { throw new UnsupportedOperationException("TODO"); }
    @Override public ModelManifest manifest(ModelUri uri) { throw new UnsupportedOperationException("TODO"); }
    @Override public List<ModelVersionInfo> list() { throw new UnsupportedOperationException("TODO"); }
    @Override public Optional<String> resolveAlias(String modelName, String alias) { throw new UnsupportedOperationException("TODO"); }
    @Override public AliasChange promote(String modelName, String alias, String version) { throw new UnsupportedOperationException("TODO"); }
    @Override public AliasChange rollback(String modelName, String alias) { throw new UnsupportedOperationException("TODO"); }
    @Override public String location() { return root.toUri().toString(); }
}
