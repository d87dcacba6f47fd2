package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Excerpt;
import com.orderintel.registry.Checksums;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The data files a snapshot manifest names, treated as untrusted (anyone who can write to the dataset store can
 * write a manifest): a file is a plain relative name inside the snapshot directory (no {@code ..}, no absolute path,
 * no scheme, no percent-escapes), has a sha256, and is verified (size, then sha256; on a filesystem also that it
 * resolves, symlinks followed, inside the snapshot directory) before a byte of it is parsed.
 */
final class SnapshotFiles {

    /** One path segment: starts with a letter or digit, so neither "." nor ".." nor a hidden name. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private SnapshotFiles() {
    }

    /** The URI of an entry's file beside {@code manifestUri}; refuses names that could leave the snapshot directory. */
    static URI resolve(URI manifestUri, SnapshotManifest.FileEntry entry) {
        String file = entry == null ? null : entry.file();
        if (file == null || file.isEmpty()) {
            throw new DataException(manifestUri + ": a file entry has no file name");
        }
        String[] segments = file.split("/", -1);
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                throw new DataException(manifestUri + ": file '" + Excerpt.of(file) + "' is not a plain name inside the"
                        + " snapshot directory (letters, digits, '.', '_', '-', sub-directories with '/'; no '..', no absolute"
                        + " path): refused");
            }
        }
        if (entry.sha256() == null || !SHA256.matcher(entry.sha256()).matches()) {
            throw new DataException(manifestUri + ": file '" + file + "' has no sha256 (64 lower-case hex digits): every"
                    + " file of a snapshot must have one, and it is checked before the file is read");
        }
        String m = manifestUri.toString();
        URI dir = URI.create(m.substring(0, m.lastIndexOf('/') + 1));
        URI uri = URI.create(dir + file).normalize();
        if (!uri.toString().startsWith(dir.toString())) { // cannot happen with the segments above; kept as the invariant
            throw new DataException(manifestUri + ": file '" + file + "' is outside the snapshot directory: refused");
        }
        return uri;
    }

    /**
     * Fetches an entry's file, refusing one bigger than the manifest records by its declared size, before a byte is
     * downloaded; {@link #verify} then checks it exactly.
     */
    static Path fetch(SnapshotStorage storage, URI uri, Path scratch, SnapshotManifest.FileEntry entry) {
        return storage.fetch(uri, scratch, entry.bytes() > 0 ? entry.bytes() : Long.MAX_VALUE, size -> sizeMismatch(uri, size, entry));
    }

    private static String sizeMismatch(URI uri, long size, SnapshotManifest.FileEntry entry) {
        return uri + ": size " + size + " bytes does not match the snapshot manifest (" + entry.bytes()
                + "); the snapshot was changed after it was written";
    }

    /**
     * Checks a fetched file against its entry before it is parsed: on a filesystem, that it is a regular file whose
     * real path (symlinks followed) is inside the snapshot directory; its size (when the manifest gives one) and its
     * sha256. Returns the sha256.
     */
    static String verify(URI manifestUri, URI uri, Path local, SnapshotManifest.FileEntry entry) {
        try {
            if ("file".equals(uri.getScheme())) {
                Path dir = Path.of(manifestUri).getParent().toRealPath();
                Path real = local.toRealPath();
                if (!real.startsWith(dir) || !Files.isRegularFile(real)) {
                    throw new DataException(uri + ": resolves to a path outside the snapshot directory " + dir
                            + " (a symlink?) or not to a regular file: refused");
                }
            }
            long size = Files.size(local);
            if (entry.bytes() > 0 && size != entry.bytes()) {
                throw new DataException(sizeMismatch(uri, size, entry));
            }
        } catch (IOException e) {
            throw new DataException(uri + ": cannot check the file: " + Excerpt.message(e), e);
        }
        String sha = Checksums.sha256(local);
        if (!entry.sha256().equals(sha)) {
            throw new DataException(uri + ": sha256 " + sha + " does not match the snapshot manifest (" + entry.sha256()
                    + "); the snapshot was changed after it was written");
        }
        return sha;
    }
}
