package com.orderintel.forecast;

import com.orderintel.dataset.DemandRow;

import java.time.LocalDate;
import java.util.List;

/**
 * The original experiment's feature engineering, in its column order: day_of_year, day_of_week (Monday=0),
 * is_weekend (day_of_week >= 5), avg_basket_value, promo_flag. Shared by trainers and serving so the two
 * can never disagree.
 */
public final class DemandFeatures {

    public static final List<String> NAMES =
            List.of("day_of_year", "day_of_week", "is_weekend", "avg_basket_value", "promo_flag");

    private DemandFeatures() {
    }

    public static double[] of(LocalDate date, double avgBasketValue, int promoFlag) {
        int dow = date.getDayOfWeek().getValue() - 1;
        return new double[] {date.getDayOfYear(), dow, dow >= 5 ? 1 : 0, avgBasketValue, promoFlag};
    }

    public static double[] of(DemandQuery q) {
        return of(q.date(), q.avgBasketValue(), q.promoFlag());
    }

    /** A row of a demand data set. */
    public static double[] of(DemandRow row) {
        return of(row.date(), row.avgBasketValue(), row.promoFlag());
    }
}
