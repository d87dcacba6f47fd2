package com.orderintel.forecast;

import java.time.LocalDate;
import java.util.Arrays;

/**
 * What the gradient-boosted demand model knows about one product, kept in its artifact so that every
 * per-product feature can be computed at serving time from a {@link DemandQuery} alone: the training mean, the
 * mean per day of week, the promotion uplift, and the product's training history (date-sorted), from which
 * lag and rolling means are taken over the observations strictly before the query date. Training computes the
 * features of each training row through this same class, so training and serving cannot disagree.
 *
 * @param days   epoch days of the training observations, ascending
 * @param demand demand of each observation, aligned with {@code days}
 */
public record ProductProfile(double mean, double[] dowMean, double promoUplift, int[] days, double[] demand) {

    /** Window sizes of the lag/rolling features (last 1, 7 and 28 observations before the date). */
    private static final int[] WINDOWS = {1, 7, 28};

    public ProductProfile {
        if (dowMean.length != 7 || days.length != demand.length || days.length == 0) {
            throw new IllegalArgumentException("a product profile needs 7 day-of-week means and a non-empty history");
        }
        for (int i = 1; i < days.length; i++) {
            if (days[i] < days[i - 1]) {
                throw new IllegalArgumentException("history is not sorted by date");
            }
        }
        if (!Double.isFinite(mean) || !Double.isFinite(promoUplift) || Arrays.stream(dowMean).anyMatch(v -> !Double.isFinite(v))
                || Arrays.stream(demand).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException("non-finite value in product profile");
        }
        dowMean = dowMean.clone();
        days = days.clone();
        demand = demand.clone();
    }

    /**
     * Writes the product features (in {@link GbtDemandFeatures#NAMES} order after the base ones) for a date into
     * {@code out[from..]}, using {@code prefix} (see {@link #prefixSums()}) for the rolling means.
     */
    public void write(LocalDate date, double[] prefix, double[] out, int from) {
        int dow = date.getDayOfWeek().getValue() - 1;
        out[from] = mean;
        out[from + 1] = dowMean[dow];
        out[from + 2] = promoUplift;
        int before = countBefore((int) date.toEpochDay());
        for (int w = 0; w < WINDOWS.length; w++) {
            int k = Math.min(WINDOWS[w], before);
            // No earlier observation (a date before the training history): fall back to the product mean.
            out[from + 3 + w] = k == 0 ? mean : (prefix[before] - prefix[before - k]) / k;
        }
    }

    /** Number of observations dated strictly before {@code epochDay} (lower bound in the sorted history). */
    public int countBefore(int epochDay) {
        int lo = 0;
        int hi = days.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (days[mid] < epochDay) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** prefix[i] = sum of the first i demands; computed once per product when a model is built. */
    public double[] prefixSums() {
        double[] prefix = new double[demand.length + 1];
        for (int i = 0; i < demand.length; i++) {
            prefix[i + 1] = prefix[i] + demand[i];
        }
        return prefix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductProfile p && mean == p.mean && promoUplift == p.promoUplift
                && Arrays.equals(dowMean, p.dowMean) && Arrays.equals(days, p.days) && Arrays.equals(demand, p.demand);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(days) * 31 + Double.hashCode(mean);
    }

    @Override
    public String toString() {
        return "ProductProfile[mean=" + mean + ", observations=" + days.length + "]";
    }
}
