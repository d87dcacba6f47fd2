package com.orderintel.dataset;

import java.time.LocalDate;

/**
 * One observed day of one product, as in the demand CSV. {@code expectedDemand} is the generator's true mean
 * for the day (optional column {@value #EXPECTED}, written by {@code generate demand --expected}), NaN when the
 * file has none: it gives the noise floor, the MAE of a forecaster that knows the true mean.
 */
public record DemandRow(LocalDate date, String productId, double avgBasketValue, int promoFlag, double demand,
                        double expectedDemand) {

    public static final java.util.List<String> COLUMNS = java.util.List.of("date", "product_id", "avg_basket_value", "promo_flag", "demand");
    public static final String EXPECTED = "expected_demand";

    /** A row without a known true mean. */
    public DemandRow(LocalDate date, String productId, double avgBasketValue, int promoFlag, double demand) {
        this(date, productId, avgBasketValue, promoFlag, demand, Double.NaN);
    }

    /** Parses and validates one CSV row; a bad value throws a DataException naming file, line and column. */
    public static DemandRow of(CsvRows.Row r) {
        double basket = r.amount("avg_basket_value");
        double demand = r.amount("demand");
        double expected = r.has(EXPECTED) ? r.number(EXPECTED) : Double.NaN;
        return new DemandRow(r.date("date"), r.text("product_id"), basket, r.flag("promo_flag"), demand, expected);
    }
}
