package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Snapshots in a local or mounted directory; objects are written to a temporary name and renamed into place. */
final class FileSnapshotStorage implements SnapshotStorage {

    @Override
    public void put(URI target, Path file, boolean exclusive) {
        Path dest = Path.of(target);
        try {
            Files.createDirectories(dest.getParent());
            Path tmp = Files.createTempFile(dest.getParent(), "." + dest.getFileName(), ".part");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            if (exclusive) {
                // rename(2) would silently replace an existing file; a hard link fails atomically if dest exists
                try {
                    Files.createLink(dest, tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } else {
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileAlreadyExistsException e) {
            throw new DataException(target + " already exists; snapshots are never overwritten");
        } catch (IOException e) {
            throw new DataException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path fetch(URI source, Path scratch) {
        Path p = Path.of(source);
        if (!Files.isRegularFile(p)) {
            throw new DataException(source + ": file not found");
        }
        return p;
    }

    @Override
    public boolean exists(URI object) {
        return Files.exists(Path.of(object));
    }

    @Override
    public List<String> children(URI dir) {
        Path p = Path.of(dir);
        if (!Files.isDirectory(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(Files::isDirectory).map(c -> c.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
