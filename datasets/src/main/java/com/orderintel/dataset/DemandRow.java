package com.orderintel.dataset;

import com.orderintel.forecast.DemandFeatures;

import java.time.LocalDate;

/** One observed day of one product, as in the demand CSV. */
public record DemandRow(LocalDate date, String productId, double avgBasketValue, int promoFlag, double demand) {

    public static final java.util.List<String> COLUMNS = java.util.List.of("date", "product_id", "avg_basket_value", "promo_flag", "demand");

    public double[] features() {
        return DemandFeatures.of(date, avgBasketValue, promoFlag);
    }

    /** Parses and validates one CSV row; a bad value throws a DataException naming file, line and column. */
    public static DemandRow of(CsvRows.Row r) {
        double basket = r.number("avg_basket_value");
        if (basket < 0) {
            throw r.error("avg_basket_value", "must not be negative");
        }
        double demand = r.number("demand");
        if (demand < 0) {
            throw r.error("demand", "must not be negative");
        }
        return new DemandRow(r.date("date"), r.text("product_id"), basket, r.flag("promo_flag"), demand);
    }
}
