package com.orderintel.dataset;

import com.orderintel.registry.ModelManifest;

import java.nio.file.Path;
import java.util.List;

/** Loads the two training data sets with their provenance (URI, sha256, rows) for the manifest. */
public final class Datasets {

    private Datasets() {
    }

    public record Loaded<T>(List<T> rows, ModelManifest.DatasetRef ref) { }

    public static Loaded<DemandRow> demand(Path file) {
        return loaded(file, CsvRows.readAll(file, DemandRow.COLUMNS, DemandRow::of));
    }

    public static Loaded<OrderRow> orders(Path file) {
        return loaded(file, CsvRows.readAll(file, OrderRow.COLUMNS, OrderRow::of));
    }

    private static <T> Loaded<T> loaded(Path file, CsvRows.Table<T> table) {
        List<T> rows = checkSize(file, table.rows());
        return new Loaded<>(rows, new ModelManifest.DatasetRef(file.toAbsolutePath().normalize().toUri().toString(),
                table.sha256(), rows.size()));
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
}
