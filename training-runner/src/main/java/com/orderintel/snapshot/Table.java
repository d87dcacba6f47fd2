package com.orderintel.snapshot;

import com.orderintel.dataset.CsvRows;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

/**
 * The columns of one training set as the training CSV has them, and how a typed row maps to and from them. One
 * definition serves the CSV and the Parquet form, so both hold the same rows in the same order.
 */
public record Table<T>(String name, List<Column> columns, Function<T, Object[]> values, Function<CsvRows.Row, T> parse,
                       List<String> numericFeatures) {

    public enum Type { STRING, DOUBLE, INT, DATE }

    public record Column(String name, Type type, boolean optional) { }

    public static final Table<OrderRow> ORDERS = new Table<>(SnapshotManifest.ORDERS, List.of(
            new Column("order_id", Type.STRING, false),
            new Column("avg_processing_ms", Type.DOUBLE, false),
            new Column("item_count", Type.DOUBLE, false),
            new Column("payment_score", Type.DOUBLE, false),
            new Column("label", Type.INT, true)),
            r -> new Object[] {r.orderId(), r.avgProcessingMs(), r.itemCount(), r.paymentScore(), r.label()},
            OrderRow::of, List.of("avg_processing_ms", "item_count", "payment_score"));

    public static final Table<DemandRow> DEMAND = new Table<>(SnapshotManifest.DEMAND, List.of(
            new Column("date", Type.DATE, false),
            new Column("product_id", Type.STRING, false),
            new Column("avg_basket_value", Type.DOUBLE, false),
            new Column("promo_flag", Type.INT, false),
            new Column("demand", Type.DOUBLE, false)),
            r -> new Object[] {r.date(), r.productId(), r.avgBasketValue(), r.promoFlag(), r.demand()},
            DemandRow::of, List.of("avg_basket_value", "promo_flag", "demand"));

    /** Note features of captured orders (optional part {@code notes}); joined to {@link #ORDERS} by order_id. */
    public static final Table<NoteRow> NOTES = new Table<>(SnapshotManifest.NOTES, List.of(
            new Column("order_id", Type.STRING, false),
            new Column("note_sentiment", Type.INT, false),
            new Column("note_category", Type.STRING, false),
            new Column("feature_source", Type.STRING, false),
            new Column("model", Type.STRING, false),
            new Column("prompt_name", Type.STRING, true),
            new Column("prompt_version", Type.STRING, true),
            new Column("prompt_sha256", Type.STRING, true)),
            r -> new Object[] {r.orderId(), r.noteSentiment(), r.noteCategory(), r.featureSource(), r.model(), r.promptName(),
                    r.promptVersion(), r.promptSha256()},
            NoteRow::of, List.of());

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    public List<String> requiredColumns() {
        return columns.stream().filter(c -> !c.optional()).map(Column::name).toList();
    }

    public int index(String column) {
        return columnNames().indexOf(column);
    }

    /** The value of a numeric feature of a row (for quality checks and drift). */
    public double number(T row, String column) {
        Object v = values.apply(row)[index(column)];
        return ((Number) v).doubleValue();
    }

    /** A value as CSV text: exact round-trip for doubles (Double.toString), ISO dates, empty for null. */
    static String text(Object v) {
        return switch (v) {
            case null -> "";
            case LocalDate d -> d.toString();
            default -> v.toString();
        };
    }
}
