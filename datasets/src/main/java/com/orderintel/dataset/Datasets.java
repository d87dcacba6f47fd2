package com.orderintel.dataset;

import com.orderintel.registry.Checksums;
import com.orderintel.registry.ModelManifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads the two training data sets with their provenance (URI, sha256, rows) for the manifest. */
public final class Datasets {

    private Datasets() {
    }

    public record Loaded<T>(List<T> rows, ModelManifest.DatasetRef ref) { }

    public static Loaded<DemandRow> demand(Path file) {
        List<DemandRow> rows = new ArrayList<>();
        CsvRows.forEach(file, DemandRow.COLUMNS, r -> rows.add(DemandRow.of(r)));
        return new Loaded<>(checkSize(file, rows), ref(file, rows.size()));
    }

    public static Loaded<OrderRow> orders(Path file) {
        List<OrderRow> rows = new ArrayList<>();
        CsvRows.forEach(file, OrderRow.COLUMNS, r -> rows.add(OrderRow.of(r)));
        return new Loaded<>(checkSize(file, rows), ref(file, rows.size()));
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

    private static ModelManifest.DatasetRef ref(Path file, long rows) {
        return new ModelManifest.DatasetRef(file.toAbsolutePath().normalize().toUri().toString(), Checksums.sha256(file), rows);
    }
}
