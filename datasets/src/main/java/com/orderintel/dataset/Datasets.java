package com.orderintel.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Loads the two training data sets with their provenance (URI, sha256, rows) for the manifest. */
public final class Datasets {

    private Datasets() {
    }

    /** Where the rows came from: what a model's manifest records as its data set (the trainer copies it there). */
    public record Source(String uri, String sha256, long rows) { }

    public record Loaded<T>(List<T> rows, Source ref) { }

    public static Loaded<DemandRow> demand(Path file) {
        FutureTask<String> sha = hashInBackground(file);
        List<DemandRow> rows = new ArrayList<>();
        CsvRows.forEach(file, DemandRow.COLUMNS, r -> rows.add(DemandRow.of(r)));
        return new Loaded<>(checkSize(file, rows), ref(file, rows.size(), sha));
    }

    public static Loaded<OrderRow> orders(Path file) {
        FutureTask<String> sha = hashInBackground(file);
        List<OrderRow> rows = new ArrayList<>();
        CsvRows.forEach(file, OrderRow.COLUMNS, r -> rows.add(OrderRow.of(r)));
        return new Loaded<>(checkSize(file, rows), ref(file, rows.size(), sha));
    }

    /**
     * The file's sha256, computed on another thread while the rows are parsed: at start-up SHA-256 runs as cold
     * code, and a second read of a file just read comes from the page cache. Started only for an existing file, so
     * a missing one still fails with the reader's message.
     */
    private static FutureTask<String> hashInBackground(Path file) {
        FutureTask<String> sha = new FutureTask<>(() -> sha256(file));
        if (Files.isRegularFile(file)) {
            Thread.ofPlatform().daemon().name("dataset-sha256").start(sha);
        }
        return sha;
    }

    private static <T> List<T> checkSize(Path file, List<T> rows) {
        if (rows.isEmpty()) {
            throw new DataException(file + ": no data rows (only a header)");
        }
        if (rows.size() == 1) {
            throw new DataException(file + ": only one data row; training needs at least 2");
        }
        return rows;
    }

    /** The file's SHA-256 in lower-case hex, as the registry's checksums spell it. */
    private static String sha256(Path file) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static Source ref(Path file, long rows, FutureTask<String> sha) {
        String sha256;
        try {
            sha256 = sha.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException(file + ": interrupted while computing its sha256", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        return new Source(file.toAbsolutePath().normalize().toUri().toString(), sha256, rows);
    }
}
