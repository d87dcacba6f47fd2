package com.orderintel.models;

import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.registry.ModelManifest;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Where a value stands among the training rows, read from its feature's manifest histogram: the fractions of
 * training rows below, equal to and above it. Within a bin, mass is spread evenly: over the interval for a
 * continuous feature, over the whole numbers in the bin for an {@link FeatureType#INTEGER} or
 * {@link FeatureType#BINARY} one (so "item_count 1" is not said to be below every order when 28 % have 1).
 * With decile edges the figure is exact at the edges and interpolated between them.
 *
 * @param below fraction of training rows with a smaller value
 * @param equal fraction with this very value (0 for continuous features)
 * @param above fraction with a larger value
 */
public record TrainingStanding(double below, double equal, double above, double min, double max) {

    /** The mid-rank percentile, 0..100: 50 is the median, 0 below every training row. */
    public double percentile() {
        return 100 * (below + equal / 2);
    }

    /** The standing of {@code v}, or null when the feature has no usable histogram. */
    public static TrainingStanding of(FeatureSpec spec, double v) {
        Profile p = Profile.of(spec);
        return p == null ? null : p.standing(v);
    }

    /**
     * A feature's histogram as arrays, checked once, for repeated look-ups (a served model keeps one per feature).
     * {@code discrete}: the feature takes whole numbers only (INTEGER, BINARY).
     */
    public record Profile(boolean discrete, double[] edges, double[] fractions) {

        /** The profile of a manifest feature, or null when it has no usable histogram. */
        public static Profile of(FeatureSpec spec) {
            if (spec == null || spec.histogram() == null || spec.histogram().edges() == null
                    || spec.histogram().fractions() == null
                    || spec.histogram().edges().size() != spec.histogram().fractions().size() + 1
                    || spec.histogram().fractions().isEmpty()
                    || spec.histogram().edges().stream().anyMatch(e -> e == null || !Double.isFinite(e))
                    || spec.histogram().fractions().stream().anyMatch(f -> f == null || !Double.isFinite(f))) {
                return null;
            }
            return new Profile(spec.type() == FeatureType.INTEGER || spec.type() == FeatureType.BINARY,
                    spec.histogram().edges().stream().mapToDouble(Double::doubleValue).toArray(),
                    spec.histogram().fractions().stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** The standing of {@code v}; null when v is not finite. */
        public TrainingStanding standing(double v) {
            if (!Double.isFinite(v)) {
                return null;
            }
            int bins = fractions.length;
            double below = 0;
            double equal = 0;
            for (int b = 0; b < bins; b++) {
                double lo = edges[b];
                double hi = edges[b + 1];
                double mass = fractions[b];
                if (discrete) {
                    // whole numbers in [lo, hi) (the last bin [lo, hi])
                    double first = Math.ceil(lo);
                    double end = b == bins - 1 ? Math.floor(hi) : Math.ceil(hi) - 1;
                    double count = end - first + 1;
                    if (count <= 0) {
                        continue;
                    }
                    double smaller = Math.max(0, Math.min(count, Math.ceil(v) - first));
                    below += mass * smaller / count;
                    if (v == Math.rint(v) && v >= first && v <= end) {
                        equal += mass / count;
                    }
                } else if (v >= hi) {
                    below += mass;
                } else if (v > lo) {
                    below += mass * (v - lo) / (hi - lo);
                }
            }
            below = clamp(below);
            equal = clamp(Math.min(equal, 1 - below));
            return new TrainingStanding(below, equal, clamp(1 - below - equal), edges[0], edges[bins]);
        }
    }

    /**
     * Plain words for a value's standing, e.g. {@code payment_score 0.05 is below 99.6 % of training orders};
     * {@code rows} names the training rows ("training orders").
     */
    public String describe(String feature, double value, String rows) {
        String v = number(value);
        if (value < min) {
            return feature + " " + v + " is below every one of the " + rows + " (minimum " + number(min) + ")";
        }
        if (value > max) {
            return feature + " " + v + " is above every one of the " + rows + " (maximum " + number(max) + ")";
        }
        return above >= below
                ? feature + " " + v + " is below " + percent(above) + " % of " + rows
                : feature + " " + v + " is above " + percent(below) + " % of " + rows;
    }

    /** Four significant digits, no exponent, no trailing zeros: 0.05, 1800, 0.8512. */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** One decimal, e.g. 99.6 (String.format costs microseconds on this path). */
    static String percent(double fraction) {
        long tenths = Math.round(fraction * 1000);
        return (tenths / 10) + "." + (tenths % 10);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
