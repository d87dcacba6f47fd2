package com.orderintel.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

import static com.orderintel.registry.RegistryException.Reason.ACCESS_DENIED;
import static com.orderintel.registry.RegistryException.Reason.IO;

/**
 * How the file registry reads a manifest, alias file or artifact: only a regular file whose real path lies inside
 * the registry's real root. A symbolic link out of the root (a manifest linked to {@code /etc/passwd}) is refused
 * before it is opened, as is a FIFO, device or directory: opening a FIFO blocks until a writer appears, which held a
 * reload (and its lock) forever. The size is checked on the file's attributes before reading and on the bytes read,
 * and the read runs on its own thread under a timeout, so a file swapped for a FIFO between the check and the open,
 * or a stalled network mount, costs a refusal after {@link #READ_TIMEOUT} instead of a hung caller. Links that stay
 * inside the root (a mount layout with symlinked directories) are read.
 */
final class RegistryFiles {

    /** Generous for 256 MiB from a slow mount; a local manifest takes milliseconds. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

    private RegistryFiles() {
    }

    /**
     * The file's bytes, or empty when it does not exist.
     *
     * @param maxBytes  the most bytes read (one more is read to notice a file that grew)
     * @param checkSize called with the size from the file's attributes before reading and with the count read
     *                  after; throws to refuse
     */
    static Optional<byte[]> read(Path root, Path file, String what, int maxBytes, LongConsumer checkSize) {
        return read(root, file, what, maxBytes, checkSize, READ_TIMEOUT);
    }

    static Optional<byte[]> read(Path root, Path file, String what, int maxBytes, LongConsumer checkSize, Duration timeout) {
        Path real;
        BasicFileAttributes attributes;
        try {
            Path realRoot = root.toRealPath();
            real = file.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new RegistryException(ACCESS_DENIED, what + " leads out of the registry root (a symbolic link?); "
                        + "refusing to read it");
            }
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RegistryException(IO, "cannot read " + what + ": " + e.getClass().getSimpleName(), e);
        }
        if (!attributes.isRegularFile()) {
            throw new RegistryException(ACCESS_DENIED, what + " is not a regular file (a FIFO, device or directory); "
                    + "refusing to read it");
        }
        checkSize.accept(attributes.size());
        byte[] bytes = within(timeout, what, () -> {
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                return in.readNBytes(maxBytes + 1);
            }
        });
        checkSize.accept(bytes.length);
        return Optional.of(bytes);
    }

    interface Read {
        byte[] run() throws IOException;
    }

    /**
     * Runs the read on a daemon thread and waits at most {@code timeout}. A thread stuck in open(2) cannot be
     * interrupted; it is abandoned (daemon: it does not hold the JVM) and the caller gets an error.
     */
    static byte[] within(Duration timeout, String what, Read read) {
        FutureTask<byte[]> task = new FutureTask<>(read::run);
        Thread.ofPlatform().daemon().name("registry-file-read").start(task);
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new RegistryException(IO, "reading " + what + " took longer than " + timeout.toSeconds()
                    + " s; refusing it (a FIFO, or a stalled mount?)", e);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new RegistryException(IO, "interrupted while reading " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                throw new RegistryException(RegistryException.Reason.NOT_FOUND, what + " disappeared while it was read", e.getCause());
            }
            throw new RegistryException(IO, "cannot read " + what + ": " + e.getCause().getClass().getSimpleName(), e.getCause());
        }
    }
}
