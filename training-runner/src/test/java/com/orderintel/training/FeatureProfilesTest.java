package com.orderintel.training;

import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.registry.ModelManifest.Histogram;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The training profile's histogram counts every value in the bin the drift check (Histogram.binOf) puts it in. */
class FeatureProfilesTest {

    @Test
    void histogramFractionsAreTheBinsOfHistogramBinOf() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(5_000);
            double[] v = new double[n];
            int kind = trial % 4;
            for (int i = 0; i < n; i++) {
                v[i] = switch (kind) {
                    case 0 -> rnd.nextGaussian() * 50 + 100; // continuous
                    case 1 -> rnd.nextInt(7); // day of week: many ties, fewer edges than bins
                    case 2 -> rnd.nextInt(10) == 0 ? 1 : 0; // a rare flag
                    default -> 3.5; // constant
                };
            }
            FeatureSpec spec = FeatureProfiles.numeric("f", FeatureType.NUMERIC, v);
            double[] edges = spec.histogram().edges().stream().mapToDouble(Double::doubleValue).toArray();
            long[] expected = new long[edges.length - 1];
            for (double x : v) {
                expected[Histogram.binOf(edges, x)]++;
            }
            for (int b = 0; b < expected.length; b++) {
                assertThat(spec.histogram().fractions().get(b)).as("trial %d bin %d", trial, b)
                        .isCloseTo((double) expected[b] / n, within(1e-15));
            }
            assertThat(spec.histogram().fractions().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        }
    }
}
