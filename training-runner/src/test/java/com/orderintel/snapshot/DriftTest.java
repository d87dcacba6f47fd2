package com.orderintel.snapshot;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DriftTest {

    private static double[] normal(long seed, int n, double mean, double sd) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + sd * r.nextGaussian();
        }
        return v;
    }

    @Test
    void sameDistributionIsStableAndAShiftIsNot() {
        double[] ref = normal(1, 5000, 1500, 300);
        assertThat(Drift.psi(ref, ref, false)).isCloseTo(0, within(1e-12));
        assertThat(Drift.psi(ref, normal(2, 5000, 1500, 300), false)).isLessThan(0.02);
        assertThat(Drift.psi(ref, normal(3, 5000, 1800, 300), false)).isGreaterThan(0.25);
    }

    @Test
    void binaryFeaturesUseTwoBins() {
        double[] tenPercent = new double[1000];
        double[] halfAndHalf = new double[1000];
        for (int i = 0; i < 1000; i++) {
            tenPercent[i] = i % 10 == 0 ? 1 : 0;
            halfAndHalf[i] = i % 2;
        }
        // (0.5-0.1) ln(0.5/0.1) + (0.5-0.9) ln(0.5/0.9)
        double expected = 0.4 * Math.log(5) - 0.4 * Math.log(0.5 / 0.9);
        assertThat(Drift.psi(tenPercent, halfAndHalf, true)).isCloseTo(expected, within(1e-9));
        assertThat(Drift.isBinary("promo_flag")).isTrue();
    }
}
