package com.orderintel.forecast;

import java.time.LocalDate;
import java.util.Arrays;

/**
 * What the decomposed demand model ({@code gbt-flat/v2}) knows about one product, from a (Huber-weighted) least
 * squares fit over the product's training rows of
 * <pre>demand ~ a + slope * (day - origin) + basketSlope * (basket - basketCentre) + promoEffect * promo
 *          + seasonSin * sin(2 pi doy / 365.25) + seasonCos * cos(2 pi doy / 365.25) + dowEffect[dow]</pre>
 * ({@code dowEffect[0]}, Monday, is 0). Serving uses it three ways: the <b>level</b>
 * {@code max(floor, intercept + slope * (day - origin))}, a straight line in time that extrapolates past the
 * training dates (trees cannot); the additive <b>basket term</b>; and the season, weekday and promotion effects
 * as <b>ratios</b> to the level at the origin, which the trees get as features. Training computes every feature
 * and the trees' target through this class, so training and serving cannot disagree.
 *
 * @param origin       the mean epoch day of the training rows (centres the time axis)
 * @param intercept    the level at the origin: {@code a} plus each effect times its mean over the training rows
 *                     (the average promotion rate, season and weekday mix), so the level is proportional to the
 *                     product's underlying level at every date
 * @param floor        lower bound of the level (positive), so dividing by it is always safe
 * @param mean         mean training demand (a product-identity feature for the trees)
 */
public record ProductBaseline(double origin, double intercept, double slope, double floor, double basketCentre,
                             double basketSlope, double seasonSin, double seasonCos, double[] dowEffect,
                             double promoEffect, double mean) {

    /** Largest magnitude accepted for a coefficient: far beyond any demand, and keeps every prediction finite. */
    static final double MAX_MAGNITUDE = 1e100;
    /** Epoch days of years about -800 to 4700: any real origin; bounds {@code day - origin} for finite levels. */
    static final double MAX_ORIGIN = 1e6;
    private static final double YEAR = 365.25;

    public ProductBaseline {
        if (dowEffect.length != 7) {
            throw new IllegalArgumentException("a product baseline needs 7 day-of-week effects");
        }
        double[] all = {intercept, slope, floor, basketCentre, basketSlope, seasonSin, seasonCos, promoEffect, mean};
        if (Arrays.stream(all).anyMatch(v -> !(Math.abs(v) <= MAX_MAGNITUDE))
                || Arrays.stream(dowEffect).anyMatch(v -> !(Math.abs(v) <= MAX_MAGNITUDE))) {
            throw new IllegalArgumentException("non-finite or implausible coefficient in product baseline");
        }
        if (!(Math.abs(origin) <= MAX_ORIGIN) || !(floor > 0)) {
            throw new IllegalArgumentException("implausible origin " + origin + " or non-positive level floor " + floor);
        }
        dowEffect = dowEffect.clone();
    }

    /** The level on an epoch day: the straight line, never below {@link #floor()}. */
    public double level(long epochDay) {
        return Math.max(floor, intercept + slope * (epochDay - origin));
    }

    /** The additive basket term of a query. */
    public double basketTerm(double avgBasketValue) {
        return basketSlope * (avgBasketValue - basketCentre);
    }

    /** The level at the origin: the denominator of the ratio features. */
    public double reference() {
        return Math.max(floor, intercept);
    }

    /** Fitted yearly season as a ratio to the level (1 = no seasonal effect). */
    public double seasonRatio(LocalDate date) {
        double angle = yearAngle(date);
        return 1 + (seasonSin * Math.sin(angle) + seasonCos * Math.cos(angle)) / reference();
    }

    /** The date's angle on the yearly cycle, {@code 2 pi doy / 365.25}: the fit and serving use this one formula. */
    public static double yearAngle(LocalDate date) {
        return 2 * Math.PI * date.getDayOfYear() / YEAR;
    }

    /** Fitted day-of-week effect as a ratio to the level (Monday = 0). */
    public double dowRatio(int dayOfWeek) {
        return 1 + dowEffect[dayOfWeek] / reference();
    }

    /** Fitted promotion effect as a ratio to the level (1 without promotion). */
    public double promoRatio(int promoFlag) {
        return 1 + promoFlag * promoEffect / reference();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductBaseline p && Arrays.equals(values(), p.values());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values());
    }

    /** Every field in artifact order ({@link #VALUES} doubles; the codec writes exactly these). */
    double[] values() {
        double[] v = new double[VALUES];
        double[] head = {origin, intercept, slope, floor, basketCentre, basketSlope, seasonSin, seasonCos};
        System.arraycopy(head, 0, v, 0, head.length);
        System.arraycopy(dowEffect, 0, v, head.length, 7);
        v[15] = promoEffect;
        v[16] = mean;
        return v;
    }

    static ProductBaseline of(double[] v) {
        return new ProductBaseline(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], Arrays.copyOfRange(v, 8, 15), v[15], v[16]);
    }

    /** Number of doubles of one product in the artifact. */
    static final int VALUES = 17;

    @Override
    public String toString() {
        return "ProductBaseline[level " + intercept + " + " + slope + "/day at day " + origin + "]";
    }
}
