package com.orderintel.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import static com.orderintel.registry.RegistryException.Reason.ACCESS_DENIED;
import static com.orderintel.registry.RegistryException.Reason.CONFLICT;
import static com.orderintel.registry.RegistryException.Reason.IO;
import static com.orderintel.registry.RegistryException.Reason.NOT_FOUND;

/**
 * Objects as files under a local (or mounted) directory. Reads go through {@link RegistryFiles}: only regular files
 * inside the root, size-checked, under a timeout. Writes go to a temporary name in the target's directory first
 * (removed whatever happens, so a disk that fills keeps no half-written file): a create-if-absent then links it into
 * place, which fails atomically when the name exists ({@code rename(2)} would silently replace it); a
 * replace-if-match renames it into place atomically under a file lock, comparing the sha256 of the current content
 * first. The lock is a {@link FileLock} (across processes on one host) plus a monitor (across threads of this JVM).
 */
public final class FileBlobStore implements BlobStore {

    /** How deep {@link #list} descends below its prefix: the registry's layout is three levels deep. */
    static final int LIST_DEPTH = 4;

    /** The lock files this thread holds, so {@link #locked} is re-entrant (a second FileLock would throw). */
    private static final ThreadLocal<Set<Path>> HELD = ThreadLocal.withInitial(HashSet::new);

    private final Path root;

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    private Path path(String key) {
        return root.resolve(key);
    }

    @Override
    public Optional<Blob> get(String key, long max, LongFunction<RegistryException> refuse) {
        return RegistryFiles.read(root, path(key), describe(key), (int) Math.min(max, Integer.MAX_VALUE - 8), size -> {
            RegistryException refused = refuse.apply(size);
            if (refused != null) {
                throw refused;
            }
        }).map(bytes -> new Blob(bytes, Checksums.sha256(bytes)));
    }

    @Override
    public Optional<Path> fetch(String key, Path dest, long max, LongFunction<RegistryException> refuse) {
        Path p = path(key);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            RegistryException refused = refuse.apply(Files.size(p));
            if (refused != null) {
                throw refused;
            }
        } catch (IOException e) {
            throw ioError("cannot read " + describe(key), e);
        }
        return Optional.of(p);
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(path(key));
    }

    @Override
    public void putIfAbsent(String key, Path file, String sha256) {
        create(key, tmp -> Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public void putIfAbsent(String key, byte[] bytes) {
        create(key, tmp -> Files.write(tmp, bytes));
    }

    private interface Fill {
        void into(Path tmp) throws IOException;
    }

    private void create(String key, Fill fill) {
        Path target = path(key);
        try {
            Path tmp = temporary(target);
            try {
                fill.into(tmp);
                try {
                    Files.createLink(target, tmp);
                } catch (FileAlreadyExistsException e) {
                    throw e;
                } catch (UnsupportedOperationException | FileSystemException e) {
                    Files.move(tmp, target); // no hard links here: a move without REPLACE_EXISTING also refuses an existing name
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new RegistryException(CONFLICT, describe(key) + " already exists", e);
        } catch (IOException e) {
            throw ioError("cannot write " + describe(key), e);
        }
    }

    @Override
    public void putIfMatch(String key, byte[] bytes, String version) {
        Path target = path(key);
        locked(key, () -> {
            try {
                String current = Files.exists(target, LinkOption.NOFOLLOW_LINKS) ? sha256(key) : null;
                if (!Objects.equals(current, version)) {
                    throw new RegistryException(CONFLICT, describe(key) + " was changed concurrently");
                }
                Path tmp = temporary(target);
                try {
                    Files.write(tmp, bytes);
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return null;
            } catch (IOException e) {
                throw ioError("cannot write " + describe(key), e);
            }
        });
    }

    private static Path temporary(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    }

    @Override
    public List<String> list(String prefix) {
        Path dir = path(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try {
            collect(dir, prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/", LIST_DEPTH, keys);
        } catch (IOException e) {
            throw ioError("cannot list registry " + location(), e);
        }
        return List.copyOf(keys);
    }

    /** Directories are followed as {@link Files#isDirectory} does (symbolic links too); reads check the root again. */
    private static void collect(Path dir, String keyPrefix, int depth, List<String> out) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted().toList();
        }
        for (Path p : entries) {
            String key = keyPrefix + p.getFileName();
            if (Files.isDirectory(p)) {
                if (depth > 1) {
                    collect(p, key + "/", depth - 1, out);
                }
            } else {
                out.add(key);
            }
        }
    }

    @Override
    public String sha256(String key) {
        Path p = path(key);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new RegistryException(NOT_FOUND, describe(key) + " does not exist");
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new RegistryException(ACCESS_DENIED, describe(key) + " is not a regular file; refusing to read it");
        }
        return Checksums.sha256(p);
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw ioError("cannot delete " + describe(key), e);
        }
    }

    @Override
    public String describe(String key) {
        return path(key).toString();
    }

    @Override
    public String location() {
        String s = root.toUri().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public <T> T locked(String key, IoAction<T> action) {
        Path target = path(key);
        Path lockFile = target.resolveSibling("." + target.getFileName() + ".lock");
        Set<Path> held = HELD.get();
        if (held.contains(lockFile)) {
            return action.run();
        }
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                synchronized (FileBlobStore.class) { // FileLock is per process; threads serialise here
                    try (FileLock ignored = ch.lock()) {
                        held.add(lockFile);
                        try {
                            return action.run();
                        } finally {
                            held.remove(lockFile);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw ioError("registry " + location(), e);
        }
    }

    @Override
    public boolean lockExcludesWriters() {
        return true;
    }

    private static RegistryException ioError(String what, IOException e) {
        String cause = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new RegistryException(IO, what + ": " + cause, e);
    }
}
