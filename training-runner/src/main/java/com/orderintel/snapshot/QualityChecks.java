package com.orderintel.snapshot;

import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Dataset-level checks that a training set must pass before it becomes a snapshot: values inside the feature
 * schema, no conflicting duplicates, a plausible label balance, and no drift against the previous snapshot beyond
 * a PSI threshold. Each check adds a one-line problem; the export fails when any is found.
 */
public final class QualityChecks {

    /**
     * The hard cap on a demand label (the service's advisor.feedback.max-demand default): actuals stored before the
     * service bounded them, or written around it, do not reach a training set.
     */
    static final double MAX_DEMAND = 1_000_000;

    /** What to do with one key (order id; product and day) that occurs with different values. */
    public enum Duplicates { FAIL, LATEST }

    public record Limits(double maxPositiveRate, double maxPsi, Duplicates duplicates) { }

    /** Rows after de-duplication, how many exact duplicates were collapsed, and the problems found. */
    public record Deduplicated<T>(List<T> rows, long exactDuplicates, long superseded, List<String> problems) { }

    private QualityChecks() {
    }

    /**
     * Collapses rows that repeat a key with identical values (a redelivered event scored twice is one observation);
     * a key with different values is a problem, or with {@link Duplicates#LATEST} the last row wins (rows come in
     * scoring order).
     */
    public static <T> Deduplicated<T> deduplicate(String part, List<T> rows, Function<T, Object> key, Duplicates policy) {
        Map<Object, T> byKey = new LinkedHashMap<>();
        long exact = 0;
        long conflicting = 0;
        Object example = null;
        for (T row : rows) {
            T previous = byKey.get(key.apply(row));
            if (previous == null) {
                byKey.put(key.apply(row), row);
            } else if (previous.equals(row)) {
                exact++;
            } else {
                conflicting++;
                example = example == null ? key.apply(row) : example;
                byKey.remove(key.apply(row)); // re-insert: the latest row takes the key's place in scoring order
                byKey.put(key.apply(row), row);
            }
        }
        List<String> problems = new ArrayList<>();
        if (conflicting > 0 && policy == Duplicates.FAIL) {
            problems.add(String.format(Locale.ROOT, "%s: %d duplicate row(s) repeat a key with different values (e.g. %s);"
                    + " the same key was captured twice with other features or labels (use --duplicates latest to keep"
                    + " the latest)", part, conflicting, example));
        }
        return new Deduplicated<>(List.copyOf(byKey.values()), exact, policy == Duplicates.LATEST ? conflicting : 0, problems);
    }

    /** Values outside the feature schema the models were built for. */
    public static List<String> ordersSchema(List<OrderRow> rows) {
        List<String> problems = new ArrayList<>();
        outside(problems, "orders", "avg_processing_ms", "negative or not finite", rows, OrderRow::orderId,
                r -> !(r.avgProcessingMs() >= 0 && Double.isFinite(r.avgProcessingMs())));
        outside(problems, "orders", "item_count", "negative or not finite", rows, OrderRow::orderId,
                r -> !(r.itemCount() >= 0 && Double.isFinite(r.itemCount())));
        outside(problems, "orders", "payment_score", "outside [0, 1]", rows, OrderRow::orderId,
                r -> !(r.paymentScore() >= 0 && r.paymentScore() <= 1));
        outside(problems, "orders", "label", "not 0 or 1", rows, OrderRow::orderId,
                r -> r.label() == null || (r.label() != 0 && r.label() != 1));
        return problems;
    }

    public static List<String> demandSchema(List<DemandRow> rows) {
        Function<DemandRow, Object> key = r -> r.productId() + "@" + r.date();
        List<String> problems = new ArrayList<>();
        outside(problems, "demand", "avg_basket_value", "negative or not finite", rows, key,
                r -> !(r.avgBasketValue() >= 0 && Double.isFinite(r.avgBasketValue())));
        outside(problems, "demand", "promo_flag", "not 0 or 1", rows, key, r -> r.promoFlag() != 0 && r.promoFlag() != 1);
        outside(problems, "demand", "demand", "negative, not finite or above " + MAX_DEMAND, rows, key,
                r -> !(r.demand() >= 0 && r.demand() <= MAX_DEMAND));
        return problems;
    }

    /** The anomaly labels must hold both classes, with positives a minority (feedback given only on alerts skews it). */
    public static List<String> labelBalance(List<OrderRow> rows, double maxPositiveRate) {
        long positives = rows.stream().filter(r -> r.label() != null && r.label() == 1).count();
        double rate = positives / (double) rows.size();
        if (positives == 0) {
            return List.of("orders: no positive (anomalous) labels among " + rows.size()
                    + " labelled orders; precision and recall cannot be measured");
        }
        if (rate > maxPositiveRate) {
            return List.of(String.format(Locale.ROOT, "orders: %.1f %% of %d labelled orders are anomalous (more than"
                    + " --max-positive-rate %.0f %%); labels look biased (feedback only for alerts?)",
                    100 * rate, rows.size(), 100 * maxPositiveRate));
        }
        return List.of();
    }

    /** PSI of each feature against the previous snapshot's rows; problems for those above {@code maxPsi}. */
    public static <T> Map<String, Double> drift(Table<T> table, List<T> previous, List<T> current) {
        Map<String, Double> psi = new LinkedHashMap<>();
        for (String f : table.numericFeatures()) {
            double[] ref = previous.stream().mapToDouble(r -> table.number(r, f)).toArray();
            double[] cur = current.stream().mapToDouble(r -> table.number(r, f)).toArray();
            psi.put(f, Math.round(Drift.psi(ref, cur, Drift.isBinary(f)) * 1e6) / 1e6);
        }
        return psi;
    }

    public static List<String> driftProblems(String part, String previousId, Map<String, Double> psi, double maxPsi) {
        List<String> problems = new ArrayList<>();
        psi.forEach((feature, value) -> {
            if (value > maxPsi) {
                problems.add(String.format(Locale.ROOT, "%s: feature '%s' drifted against snapshot %s (PSI %.3f >"
                        + " --max-psi %.3f)", part, feature, previousId, value, maxPsi));
            }
        });
        return problems;
    }

    private static <T> void outside(List<String> problems, String part, String column, String what, List<T> rows,
                                    Function<T, Object> key, Predicate<T> bad) {
        List<T> hits = rows.stream().filter(bad).toList();
        if (!hits.isEmpty()) {
            problems.add(String.format(Locale.ROOT, "%s: %d row(s) with %s %s (e.g. %s)", part, hits.size(), column, what,
                    key.apply(hits.getFirst())));
        }
    }
}
