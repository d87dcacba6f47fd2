package com.orderintel.forecast;

import java.util.ArrayList;
import java.util.List;

/**
 * Inputs of the trees of the decomposed demand model ({@code gbt-flat/v2}): the linear model's five
 * ({@link DemandFeatures}) plus per-product features from the product's {@link ProductBaseline}:
 * {@code product_mean} (which product, roughly), the fitted season, weekday and promotion effects as ratios to the
 * level, and their product {@code product_expected_ratio}. The trees predict demand divided by the level, so no
 * feature grows with time: nothing the trees see at a future date is outside what they saw in training.
 */
public final class DecomposedGbtFeatures {

    public static final List<String> PRODUCT_FEATURES = List.of("product_mean", "product_season_ratio",
            "product_dow_ratio", "product_promo_ratio", "product_expected_ratio");

    public static final List<String> NAMES;

    static {
        List<String> names = new ArrayList<>(DemandFeatures.NAMES);
        names.addAll(PRODUCT_FEATURES);
        NAMES = List.copyOf(names);
    }

    private DecomposedGbtFeatures() {
    }

    /** Feature vector of one query for a product ({@link #NAMES} order). */
    public static double[] of(DemandQuery q, ProductBaseline b) {
        double[] x = new double[NAMES.size()];
        double[] base = DemandFeatures.of(q);
        System.arraycopy(base, 0, x, 0, base.length);
        int f = base.length;
        double season = b.seasonRatio(q.date());
        double dow = b.dowRatio(q.date().getDayOfWeek().getValue() - 1);
        double promo = b.promoRatio(q.promoFlag());
        x[f] = b.mean();
        x[f + 1] = season;
        x[f + 2] = dow;
        x[f + 3] = promo;
        x[f + 4] = season * dow * promo;
        return x;
    }
}
