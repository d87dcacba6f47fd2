package com.orderintel.training;

import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.registry.ModelManifest.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training-time profile of a feature for the manifest: range, median and a histogram on (de-duplicated)
 * quantile bin edges, which serving uses to compute the population stability index of live traffic.
 */
public final class FeatureProfiles {

    public static final int BINS = 10;

    private FeatureProfiles() {
    }

    public static FeatureSpec numeric(String name, FeatureType type, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        List<Double> edges = new ArrayList<>();
        edges.add(min);
        for (int b = 1; b < BINS; b++) {
            double q = quantile(sorted, (double) b / BINS);
            if (q > edges.getLast() && q < max) {
                edges.add(q);
            }
        }
        if (max > edges.getLast()) {
            edges.add(max);
        } else {
            edges.add(min + 1); // constant feature: one bin
        }
        double[] e = edges.stream().mapToDouble(Double::doubleValue).toArray();
        // the values are sorted, so their bins (Histogram.binOf) only move forward: one sweep instead of a search each
        long[] counts = new long[e.length - 1];
        int bin = 0;
        for (double v : sorted) {
            while (bin < counts.length - 1 && v >= e[bin + 1]) {
                bin++;
            }
            counts[bin]++;
        }
        List<Double> fractions = Arrays.stream(counts).mapToObj(c -> (double) c / sorted.length).toList();
        return new FeatureSpec(name, type, min, max, quantile(sorted, 0.5), new Histogram(List.copyOf(edges), fractions), null);
    }

    /** numpy's default (linear interpolation) quantile of sorted values. */
    public static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
