package com.orderintel.registry;

import java.net.URI;
import java.nio.file.Path;

import static com.orderintel.registry.RegistryException.Reason.INVALID_URI;

/**
 * The embedded default store: the registry layout on a local (or mounted) filesystem ({@link FileBlobStore}).
 * Files are written to a temporary name and moved into place atomically, the artifact before the manifest, so a
 * reader that finds a manifest always finds its complete artifact. Publishes and alias changes of one model are
 * serialised with a file lock, which also holds across processes on one host.
 */
public final class FileSystemModelStore extends BlobModelStore {

    private FileSystemModelStore(Path root, RegistryLimits limits) {
        super(new FileBlobStore(root), limits);
    }

    /** The store at a {@code file:///} location, with {@link RegistryLimits#fromEnvironment()}. */
    public static FileSystemModelStore at(String location) {
        return at(location, RegistryLimits.fromEnvironment());
    }

    public static FileSystemModelStore at(String location, RegistryLimits limits) {
        try {
            return new FileSystemModelStore(Path.of(URI.create(location)), limits);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new RegistryException(INVALID_URI, "invalid file registry location " + ModelNames.quote(ModelUri.redact(location), 300)
                    + ": " + e.getMessage(), e);
        }
    }

    /** The store rooted at a directory, with {@link RegistryLimits#fromEnvironment()}. */
    public static FileSystemModelStore at(Path root) {
        return at(root, RegistryLimits.fromEnvironment());
    }

    public static FileSystemModelStore at(Path root, RegistryLimits limits) {
        return new FileSystemModelStore(root, limits);
    }
}
