package com.orderintel.models;

import com.orderintel.registry.ModelManifest.FeatureSpec;
import com.orderintel.registry.ModelManifest.FeatureType;
import com.orderintel.registry.ModelManifest.Histogram;
import com.orderintel.registry.ModelManifest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrainingStandingTest {

    private static final FeatureSpec SCORE = new FeatureSpec("payment_score", FeatureType.NUMERIC, 0.051, 0.99, 0.85,
            new Histogram(List.of(0.051, 0.764, 0.85, 0.99), List.of(0.1, 0.4, 0.5)), null);
    private static final FeatureSpec ITEMS = new FeatureSpec("item_count", FeatureType.INTEGER, 1.0, 47.0, 3.0,
            new Histogram(List.of(1.0, 2.0, 3.0, 8.0, 47.0), List.of(0.28, 0.2, 0.4, 0.12)), null);

    @Test
    void continuousValuesInterpolateWithinTheirBin() {
        TrainingStanding s = TrainingStanding.of(SCORE, 0.0796);
        assertThat(s.below()).isCloseTo(0.1 * (0.0796 - 0.051) / (0.764 - 0.051), within(1e-12));
        assertThat(s.equal()).isZero();
        assertThat(s.describe("payment_score", 0.0796, "training orders"))
                .isEqualTo("payment_score 0.0796 is below 99.6 % of training orders");
        assertThat(TrainingStanding.of(SCORE, 0.92).describe("payment_score", 0.92, "training orders"))
                .isEqualTo("payment_score 0.92 is above 75.0 % of training orders");
        assertThat(TrainingStanding.of(SCORE, 0.85).percentile()).isCloseTo(50, within(1e-9));
    }

    @Test
    void valuesOutsideTheTrainingRangeSaySo() {
        assertThat(TrainingStanding.of(SCORE, 0.05).describe("payment_score", 0.05, "training orders"))
                .isEqualTo("payment_score 0.05 is below every one of the training orders (minimum 0.051)");
        assertThat(TrainingStanding.of(ITEMS, 60).describe("item_count", 60, "training orders"))
                .isEqualTo("item_count 60 is above every one of the training orders (maximum 47)");
        assertThat(TrainingStanding.of(SCORE, 0.05).percentile()).isZero();
    }

    @Test
    void wholeNumberFeaturesCountTiesAsTies() {
        TrainingStanding one = TrainingStanding.of(ITEMS, 1);
        assertThat(one.below()).isZero();
        assertThat(one.equal()).isCloseTo(0.28, within(1e-12));
        assertThat(one.describe("item_count", 1, "training orders")).isEqualTo("item_count 1 is below 72.0 % of training orders");
        TrainingStanding five = TrainingStanding.of(ITEMS, 5); // bin [3, 8): 3..7, 0.4 / 5 each
        assertThat(five.below()).isCloseTo(0.48 + 0.16, within(1e-12));
        assertThat(five.equal()).isCloseTo(0.08, within(1e-12));
        assertThat(TrainingStanding.of(ITEMS, 47).equal()).isCloseTo(0.12 / 40, within(1e-12));
    }

    @Test
    void noHistogramNoStanding() {
        assertThat(TrainingStanding.of(new FeatureSpec("x", FeatureType.NUMERIC, 0.0, 1.0, 0.5, null, null), 0.2)).isNull();
        assertThat(TrainingStanding.of(null, 0.2)).isNull();
        assertThat(TrainingStanding.of(SCORE, Double.NaN)).isNull();
    }

    @Test
    void numbersAreShortAndPlain() {
        assertThat(TrainingStanding.number(0.05)).isEqualTo("0.05");
        assertThat(TrainingStanding.number(1800.0)).isEqualTo("1800");
        assertThat(TrainingStanding.number(98765.4)).isEqualTo("98770");
        assertThat(TrainingStanding.number(0.851234)).isEqualTo("0.8512");
    }
}
