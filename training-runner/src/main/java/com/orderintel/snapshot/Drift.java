package com.orderintel.snapshot;

import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.registry.ModelManifest.Histogram;
import com.orderintel.training.FeatureProfiles;

import java.util.List;

/**
 * Population stability index of a feature between a reference sample (the previous snapshot) and a new one, on
 * the reference's quantile bins - the same bins and binning rule as the training profiles the service's drift
 * gauge uses, and the same floor for empty bins, so the numbers compare.
 */
public final class Drift {

    /** Floor for an empty bin's fraction (as the service's FeatureWindow), so ln(0) never occurs. */
    static final double EPSILON = 1e-4;

    private Drift() {
    }

    public static double psi(double[] reference, double[] current, boolean binary) {
        if (reference.length == 0 || current.length == 0) {
            return 0;
        }
        double[] edges = binary ? new double[] {0, 0.5, 1}
                : FeatureProfiles.numeric("x", FeatureType.NUMERIC, reference).histogram().edges().stream()
                        .mapToDouble(Double::doubleValue).toArray();
        double[] expected = fractions(edges, reference);
        double[] actual = fractions(edges, current);
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], EPSILON);
            double a = Math.max(actual[i], EPSILON);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    private static double[] fractions(double[] edges, double[] values) {
        double[] f = new double[edges.length - 1];
        for (double v : values) {
            f[Histogram.binOf(edges, v)]++;
        }
        for (int i = 0; i < f.length; i++) {
            f[i] /= values.length;
        }
        return f;
    }

    /** Binary features get two fixed bins: quantile edges of 0/1 data collapse to a single bin. */
    static boolean isBinary(String feature) {
        return List.of("promo_flag").contains(feature);
    }
}
