package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.registry.Checksums;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Resolves {@code train --data} to typed rows and a durable {@link Datasets.Source}. Accepted: a plain
 * path (as before), or a {@code file://} / {@code s3://} URI naming a snapshot directory (or its manifest.yaml: the
 * part the model needs is taken from the snapshot, Parquet preferred, its sha256 checked against the manifest) or a
 * single {@code .csv} / {@code .parquet} file. CSV goes through the existing {@link Datasets} reader; the ref names
 * the URI the rows came from, so a model's manifest says where to fetch its training data again.
 */
public final class DatasetSource {

    private DatasetSource() {
    }

    public static Datasets.Loaded<OrderRow> orders(String data) {
        return load(Table.ORDERS, data, Datasets::orders);
    }

    public static Datasets.Loaded<DemandRow> demand(String data) {
        return load(Table.DEMAND, data, Datasets::demand);
    }

    /**
     * The note features part: the snapshot's {@code notes} part, or a notes.csv / notes.parquet file. A note table
     * may be small, so one row is enough.
     */
    public static Datasets.Loaded<NoteRow> notes(String data) {
        return load(Table.NOTES, data, DatasetSource::notesCsv);
    }

    private static Datasets.Loaded<NoteRow> notesCsv(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found");
        }
        List<NoteRow> rows = new java.util.ArrayList<>();
        com.orderintel.dataset.CsvRows.forEach(file, Table.NOTES.requiredColumns(), r -> rows.add(NoteRow.of(r)));
        return new Datasets.Loaded<>(rows, new Datasets.Source(file.toAbsolutePath().normalize().toUri().toString(),
                Checksums.sha256(file), rows.size()));
    }

    static <T> Datasets.Loaded<T> load(Table<T> table, String data, Function<Path, Datasets.Loaded<T>> csv) {
        if (data == null || data.isBlank()) {
            throw new DataException("--data is empty");
        }
        boolean isUri = data.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
        if (!isUri && !Files.isDirectory(Path.of(data)) && !data.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return csv.apply(Path.of(data)); // a plain CSV path: exactly the reader and messages it always had
        }
        URI uri = isUri ? SnapshotStorage.parse(data) : Path.of(data).toAbsolutePath().normalize().toUri();
        Path scratch = null;
        try (SnapshotStorage storage = SnapshotStorage.forUri(uri)) {
            scratch = Files.createTempDirectory("dataset-");
            String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
            URI manifestUri = null;
            SnapshotManifest.FileEntry entry = null;
            if (!path.endsWith(".csv") && !path.endsWith(".parquet")) {
                manifestUri = path.endsWith(".yaml") || path.endsWith(".yml") ? uri
                        : SnapshotStorage.resolve(uri, SnapshotManifest.FILE_NAME);
                if ("file".equals(uri.getScheme()) && !path.endsWith("/") && !Files.exists(Path.of(uri))) {
                    throw new DataException(data + ": file not found");
                }
                if (!storage.exists(manifestUri)) {
                    throw new DataException(data + ": expected a .csv or .parquet file or a dataset snapshot directory, but "
                            + manifestUri + " does not exist");
                }
                SnapshotManifest manifest = SnapshotManifests.read(SnapshotManifests.fetch(storage, manifestUri, scratch),
                        manifestUri.toString());
                SnapshotManifest.Part part = manifest.part(table.name());
                if (part == null) {
                    SnapshotManifest.Part skipped = manifest.parts().get(table.name());
                    throw new DataException("snapshot " + manifest.name() + "/" + manifest.snapshotId() + " has no " + table.name()
                            + " data" + (skipped != null && skipped.skipped() != null ? " (" + skipped.skipped() + ")" : ""));
                }
                entry = part.file("parquet") != null ? part.file("parquet") : part.file("csv");
                // the manifest is as untrusted as the data: its file must stay in the snapshot and carry a sha256
                uri = SnapshotFiles.resolve(manifestUri, entry);
                path = entry.file();
            }
            Path local = entry != null ? SnapshotFiles.fetch(storage, uri, scratch, entry) : storage.fetch(uri, scratch);
            String sha = entry != null ? SnapshotFiles.verify(manifestUri, uri, local, entry) : Checksums.sha256(local);
            List<T> rows;
            if (path.endsWith(".parquet")) {
                rows = TableFiles.readParquet(table, local, uri.toString());
            } else {
                rows = readCsv(csv, local, uri);
            }
            if (table != Table.NOTES) {
                checkSize(uri, rows);
            }
            return new Datasets.Loaded<>(rows, new Datasets.Source(uri.toString(), sha, rows.size()));
        } catch (IOException e) {
            throw new DataException("cannot create a temporary directory: " + e.getMessage(), e);
        } finally {
            if (scratch != null) {
                SnapshotExport.deleteTree(scratch);
            }
        }
    }

    /** The existing CSV reader; its messages name the URI rather than a downloaded temporary copy. */
    private static <T> List<T> readCsv(Function<Path, Datasets.Loaded<T>> csv, Path local, URI uri) {
        try {
            return csv.apply(local).rows();
        } catch (DataException e) {
            String where = "file".equals(uri.getScheme()) ? local.toString() : uri.toString();
            throw new DataException(String.valueOf(e.getMessage()).replace(local.toString(), where), e);
        }
    }

    private static void checkSize(URI uri, List<?> rows) {
        if (rows.isEmpty()) {
            throw new DataException(uri + ": no data rows");
        }
        if (rows.size() == 1) {
            throw new DataException(uri + ": only one data row; training needs at least 2");
        }
    }
}
