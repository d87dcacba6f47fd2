package com.orderintel.dataset;

/** One order's metrics as in the orders CSV; {@code label} (1 = anomalous) is null when the file has none. */
public record OrderRow(String orderId, double avgProcessingMs, double itemCount, double paymentScore, Integer label) {

    public static final java.util.List<String> COLUMNS = java.util.List.of("order_id", "avg_processing_ms", "item_count", "payment_score");

    public double[] features() {
        return new double[] {avgProcessingMs, itemCount, paymentScore};
    }

    /** Parses and validates one CSV row; a bad value throws a DataException naming file, line and column. */
    public static OrderRow of(CsvRows.Row r) {
        double ms = r.amount("avg_processing_ms");
        double items = r.amount("item_count");
        double pay = r.number("payment_score");
        Integer label = r.has("label") ? r.flag("label") : null;
        return new OrderRow(r.text("order_id"), ms, items, pay, label);
    }
}
