package com.orderintel.registry;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static com.orderintel.registry.RegistryException.Reason.CHECKSUM_MISMATCH;
import static com.orderintel.registry.RegistryException.Reason.CONFLICT;
import static com.orderintel.registry.RegistryException.Reason.INVALID_URI;
import static com.orderintel.registry.RegistryException.Reason.IO;
import static com.orderintel.registry.RegistryException.Reason.NOT_FOUND;

/**
 * The embedded default store: the registry layout on a local (or mounted) filesystem. Files are written to a
 * temporary name and moved into place atomically, the artifact before the manifest, so a reader that finds a
 * manifest always finds its complete artifact. Publishes and alias changes of one model are serialised with
 * a file lock, which also holds across processes on one host.
 */
public final class FileSystemModelStore implements ModelStore {

    static final String ALIASES = "aliases";

    private final Path root;
    private final RegistryLimits limits;

    private FileSystemModelStore(Path root, RegistryLimits limits) {
        this.root = root;
        this.limits = limits;
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
        return new FileSystemModelStore(root.toAbsolutePath().normalize(), limits);
    }

    @Override
    public ModelUri publish(ModelManifest manifest, Path artifactFile) {
        byte[] manifestBytes = ManifestCodec.write(manifest);
        verifyArtifactFile(manifest, artifactFile, limits);
        ModelUri uri = new ModelUri(location(), manifest.name(), manifest.version(), null);
        Path dir = root.resolve(manifest.version()).resolve(manifest.name());
        return withModelLock(manifest.name(), () -> {
            Path manifestPath = dir.resolve(ManifestCodec.FILE_NAME);
            if (Files.exists(manifestPath)) {
                ModelManifest existing = ManifestCodec.read(readSmall(manifestPath), manifestPath.toString());
                if (existing.artifact().sha256().equals(manifest.artifact().sha256())) {
                    return uri; // same content published again: idempotent
                }
                throw new RegistryException(CONFLICT, "model '" + manifest.name() + "' version '" + manifest.version()
                        + "' is already published with a different artifact (sha256 " + existing.artifact().sha256()
                        + "); publish under a new version");
            }
            Files.createDirectories(dir);
            Path artifactTarget = dir.resolve(manifest.artifact().file());
            Path tmp = Files.createTempFile(dir, ".artifact-", ".tmp");
            try {
                Files.copy(artifactFile, tmp, StandardCopyOption.REPLACE_EXISTING);
                move(tmp, artifactTarget);
            } finally {
                Files.deleteIfExists(tmp); // a copy cut short (disk full) must not keep the space it took
            }
            try {
                writeAtomically(manifestPath, manifestBytes);
            } catch (IOException e) {
                Files.deleteIfExists(artifactTarget); // no manifest names it: nobody can read it, so give the space back
                throw e;
            }
            return uri;
        });
    }

    @Override
    public LoadedArtifact load(ModelUri uri) {
        ModelUri exact = resolve(uri);
        ModelManifest manifest = manifest(exact);
        Path artifactPath = versionDir(exact).resolve(manifest.artifact().file());
        String what = "artifact " + artifactPath + " of " + exact;
        long expected = manifest.artifact().size();
        limits.checkArtifactSize(expected, what);
        // the size is compared before reading (a lying or huge file is refused, not read) and after (one that grew)
        byte[] bytes = RegistryFiles.read(root, artifactPath, what, (int) expected, size -> {
            if (size != expected) {
                throw sizeMismatch(what, size, expected);
            }
        }).orElseThrow(() -> new RegistryException(NOT_FOUND, what + " is missing"));
        verifyBytes(exact, manifest, bytes);
        return new LoadedArtifact(exact, manifest, bytes);
    }

    @Override
    public ModelManifest manifest(ModelUri uri) {
        ModelUri exact = resolve(uri);
        Path manifestPath = versionDir(exact).resolve(ManifestCodec.FILE_NAME);
        byte[] bytes = readSmallIfExists(manifestPath).orElseThrow(() -> new RegistryException(NOT_FOUND, "no model '"
                + exact.name() + "' version '" + exact.version() + "' in registry " + location() + " (" + manifestPath
                + " does not exist)"));
        ModelManifest manifest = ManifestCodec.read(bytes, manifestPath.toString());
        checkDescribes(manifest, exact, manifestPath.toString());
        return manifest;
    }

    /** Refuses a manifest found under another model's or version's directory (copied or tampered with). */
    static void checkDescribes(ModelManifest manifest, ModelUri exact, String origin) {
        if (!manifest.name().equals(exact.name()) || !manifest.version().equals(exact.version())) {
            throw new RegistryException(RegistryException.Reason.INVALID_MANIFEST, "manifest " + origin
                    + " describes " + manifest.name() + "/" + manifest.version() + ", not " + exact.name() + "/" + exact.version());
        }
    }

    @Override
    public List<ModelVersionInfo> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<ModelVersionInfo> out = new ArrayList<>();
        try (Stream<Path> versions = Files.list(root)) {
            for (Path versionDir : versions.filter(Files::isDirectory).toList()) {
                if (versionDir.getFileName().toString().equals(ALIASES)) {
                    continue;
                }
                try (Stream<Path> names = Files.list(versionDir)) {
                    for (Path modelDir : names.filter(p -> Files.exists(p.resolve(ManifestCodec.FILE_NAME))).toList()) {
                        Path mp = modelDir.resolve(ManifestCodec.FILE_NAME);
                        ModelManifest m = ManifestCodec.read(readSmall(mp), mp.toString());
                        out.add(new ModelVersionInfo(m.name(), m.version(), m, aliases(m.name()).aliasesOf(m.version())));
                    }
                }
            }
        } catch (IOException e) {
            throw new RegistryException(IO, "cannot list registry " + location() + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(ModelVersionInfo::name)
                .thenComparing((ModelVersionInfo v) -> v.manifest().createdAt(), Comparator.reverseOrder()));
        return List.copyOf(out);
    }

    @Override
    public Optional<String> resolveAlias(String modelName, String alias) {
        ModelNames.check("model name", modelName);
        ModelNames.check("alias", alias);
        return Optional.ofNullable(aliases(modelName).current().get(alias));
    }

    @Override
    public AliasChange promote(String modelName, String alias, String version, String by) {
        ModelNames.check("alias", alias);
        manifest(new ModelUri(location(), modelName, version, null)); // checks name and version; refuses an unpublished version
        return withModelLock(modelName, () -> {
            AliasState before = aliases(modelName);
            AliasState after = before.promote(alias, version, by);
            writeAtomically(aliasFile(modelName), after.toYaml());
            return new AliasChange(modelName, alias, before.current().get(alias), version);
        });
    }

    @Override
    public AliasChange rollback(String modelName, String alias, String by) {
        ModelNames.check("model name", modelName);
        ModelNames.check("alias", alias);
        return withModelLock(modelName, () -> {
            AliasState before = aliases(modelName);
            AliasState after = before.rollback(modelName, alias, by);
            writeAtomically(aliasFile(modelName), after.toYaml());
            return new AliasChange(modelName, alias, before.current().get(alias), after.current().get(alias));
        });
    }

    @Override
    public String location() {
        String s = root.toUri().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private ModelUri resolve(ModelUri uri) {
        if (!uri.isAlias()) {
            return uri;
        }
        return resolveAlias(uri.name(), uri.alias()).map(uri::withVersion).orElseThrow(() -> new RegistryException(NOT_FOUND,
                "alias '" + uri.alias() + "' of model '" + uri.name() + "' is not set in registry " + location()));
    }

    private Path versionDir(ModelUri exact) {
        return root.resolve(exact.version()).resolve(exact.name());
    }

    @Override
    public AliasState aliases(String modelName) {
        Path f = aliasFile(modelName);
        return readSmallIfExists(f).map(bytes -> AliasState.fromYaml(bytes, f.toString())).orElseGet(AliasState::empty);
    }

    private Path aliasFile(String modelName) {
        return root.resolve(ALIASES).resolve(modelName + ".yaml");
    }

    /** Refuses an artifact file to publish that is missing, above the limit or unlike its manifest (size, sha256). */
    static void verifyArtifactFile(ModelManifest manifest, Path artifactFile, RegistryLimits limits) {
        if (!Files.isRegularFile(artifactFile)) {
            throw new RegistryException(NOT_FOUND, "artifact file " + artifactFile + " does not exist");
        }
        long size;
        try {
            size = Files.size(artifactFile);
        } catch (IOException e) {
            throw new RegistryException(IO, "cannot read " + artifactFile + ": " + e.getMessage(), e);
        }
        limits.checkArtifactSize(size, "artifact file " + artifactFile);
        if (size != manifest.artifact().size()) {
            throw new RegistryException(CHECKSUM_MISMATCH, "artifact file " + artifactFile + " is " + size
                    + " bytes but the manifest of '" + manifest.name() + "' says " + manifest.artifact().size());
        }
        String sha = Checksums.sha256(artifactFile);
        if (!sha.equals(manifest.artifact().sha256())) {
            throw new RegistryException(CHECKSUM_MISMATCH, "artifact file " + artifactFile + " has sha256 " + sha
                    + " but the manifest of '" + manifest.name() + "' says " + manifest.artifact().sha256());
        }
    }

    /** Refuses artifact bytes whose size or sha256 differ from the manifest. */
    public static void verifyBytes(ModelUri uri, ModelManifest manifest, byte[] bytes) {
        String sha = Checksums.sha256(bytes);
        if (bytes.length != manifest.artifact().size() || !sha.equals(manifest.artifact().sha256())) {
            throw new RegistryException(CHECKSUM_MISMATCH, "artifact of " + uri + " is corrupted or tampered with: sha256 "
                    + sha + " (" + bytes.length + " bytes), manifest expects " + manifest.artifact().sha256()
                    + " (" + manifest.artifact().size() + " bytes); refusing to load it");
        }
    }

    private static RegistryException sizeMismatch(String what, long size, long expected) {
        return new RegistryException(CHECKSUM_MISMATCH, what + " is corrupted or tampered with: it is " + size
                + " bytes, the manifest expects " + expected + "; refusing to load it");
    }

    /** A manifest or alias file, refused by its size before it is read when above the limit. */
    private byte[] readSmall(Path p) {
        return readSmallIfExists(p).orElseThrow(() -> new RegistryException(NOT_FOUND, p + " does not exist"));
    }

    /** As {@link #readSmall}, empty when the file does not exist; only a regular file inside the root ({@link RegistryFiles}). */
    private Optional<byte[]> readSmallIfExists(Path p) {
        return RegistryFiles.read(root, p, p.toString(), limits.maxManifestBytes(), size -> limits.checkManifestSize(size, p.toString()));
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T withModelLock(String modelName, IoAction<T> action) {
        try {
            Path lockDir = root.resolve(ALIASES);
            Files.createDirectories(lockDir);
            Path lockFile = lockDir.resolve("." + modelName + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                synchronized (FileSystemModelStore.class) { // FileLock is per process; threads serialise here
                    try (FileLock ignored = ch.lock()) {
                        return action.run();
                    }
                }
            }
        } catch (IOException e) {
            throw new RegistryException(IO, "registry " + location() + ": " + e.getMessage(), e);
        }
    }
}
