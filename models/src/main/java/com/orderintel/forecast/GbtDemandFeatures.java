package com.orderintel.forecast;

import java.util.ArrayList;
import java.util.List;

/**
 * Inputs of the gradient-boosted demand model: the original five ({@link DemandFeatures}) plus per-product
 * features computable at serving time from the product's {@link ProductProfile} in the artifact:
 * <ul>
 *   <li>{@code product_mean}, {@code product_dow_mean}, {@code product_promo_uplift}: the product's level, its
 *   weekly profile and how much a promotion lifts it, so one pooled ensemble serves every product;</li>
 *   <li>{@code lag_1}, {@code rolling_mean_7}, {@code rolling_mean_28}: the last, and the mean of the last 7 and 28,
 *   observations of the product strictly before the date (trend and yearly season as the recent level). For a
 *   date after the training history they are the latest known values.</li>
 * </ul>
 */
public final class GbtDemandFeatures {

    public static final List<String> PRODUCT_FEATURES = List.of("product_mean", "product_dow_mean",
            "product_promo_uplift", "lag_1", "rolling_mean_7", "rolling_mean_28");

    public static final List<String> NAMES;

    static {
        List<String> names = new ArrayList<>(DemandFeatures.NAMES);
        names.addAll(PRODUCT_FEATURES);
        NAMES = List.copyOf(names);
    }

    private GbtDemandFeatures() {
    }

    /** Feature vector of one query for a product (its profile and the profile's prefix sums). */
    public static double[] of(DemandQuery q, ProductProfile profile, double[] prefix) {
        double[] x = new double[NAMES.size()];
        double[] base = DemandFeatures.of(q);
        System.arraycopy(base, 0, x, 0, base.length);
        profile.write(q.date(), prefix, x, base.length);
        return x;
    }
}
