package com.orderintel.models;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DoubleBoundaryTest {

    @Test
    void findsTheExactFirstDoubleWhereAMonotonePredicateHolds() {
        assertThat(DoubleBoundary.firstTrue(x -> x >= 1.5)).isEqualTo(1.5);
        assertThat(DoubleBoundary.firstTrue(x -> x > 0)).isEqualTo(Double.MIN_VALUE);
        assertThat(DoubleBoundary.firstTrue(x -> x >= -Double.MAX_VALUE / 2)).isEqualTo(-Double.MAX_VALUE / 2);
        // a float compare as a double threshold: the first double that rounds to at least 0.1f
        double t = DoubleBoundary.firstTrue(x -> (float) x >= 0.1f);
        assertThat((float) t).isEqualTo(0.1f);
        assertThat((float) DoubleBoundary.before(t)).isLessThan(0.1f);
    }

    @Test
    void beforeStepsOneDoubleDownWithMinusZeroJustBelowZero() {
        assertThat(Double.doubleToRawLongBits(DoubleBoundary.before(0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(DoubleBoundary.before(-0.0)).isEqualTo(-Double.MIN_VALUE);
        assertThat(DoubleBoundary.before(Double.MIN_VALUE)).isEqualTo(0.0);
        assertThat(DoubleBoundary.before(1.0)).isEqualTo(Math.nextDown(1.0));
    }
}
