package com.orderintel.training.forecast;

import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.ProductBaseline;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The per-product baseline of the XGBoost demand model: exact on its own model, robust to outliers, degenerate columns. */
class BaselineFitTest {

    private static final LocalDate START = LocalDate.of(2020, 1, 1);
    private static final double[] DOW = {0, 1.5, -2, 0.5, 3, 12, 9};

    /** Demand from the baseline's own additive form, plus optional noise. */
    private static List<DemandRow> rows(String id, int days, double noise, boolean promotions, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<DemandRow> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            LocalDate date = START.plusDays(d);
            int promo = promotions && rnd.nextDouble() < 0.25 ? 1 : 0;
            double basket = 85 + rnd.nextDouble(-8, 8);
            double angle = ProductBaseline.yearAngle(date);
            double y = 100 + 0.02 * d + 2.3 * (basket - 85) + 30 * promo + 12 * Math.sin(angle) - 5 * Math.cos(angle)
                    + DOW[date.getDayOfWeek().getValue() - 1] + noise * rnd.nextDouble(-1, 1);
            out.add(new DemandRow(date, id, basket, promo, y));
        }
        return out;
    }

    @Test
    void recoversTheCoefficientsOfNoiselessData() {
        List<DemandRow> rows = rows("A", 1500, 0, true, 1);
        ProductBaseline b = new BaselineFit(3).fitProduct(rows);
        assertThat(b.slope()).isCloseTo(0.02, within(1e-9));
        assertThat(b.basketSlope()).isCloseTo(2.3, within(1e-9));
        assertThat(b.promoEffect()).isCloseTo(30, within(1e-7));
        assertThat(b.seasonSin()).isCloseTo(12, within(1e-7));
        assertThat(b.seasonCos()).isCloseTo(-5, within(1e-7));
        for (int d = 0; d < 7; d++) {
            assertThat(b.dowEffect()[d]).isCloseTo(DOW[d], within(1e-7));
        }
        // the level line: at the average basket, promotion rate, season and weekday mix of the training rows
        double mix = 0;
        for (DemandRow r : rows) {
            double angle = ProductBaseline.yearAngle(r.date());
            mix += (30 * r.promoFlag() + 12 * Math.sin(angle) - 5 * Math.cos(angle) + DOW[r.date().getDayOfWeek().getValue() - 1])
                    / rows.size();
        }
        assertThat(b.origin()).isEqualTo(749.5 + START.toEpochDay());
        assertThat(b.level(START.toEpochDay() + 3000)).isCloseTo(100 + 0.02 * 3000 + 2.3 * (b.basketCentre() - 85) + mix,
                within(1e-6));
        assertThat(b.promoRatio(1)).isCloseTo(1 + 30 / b.reference(), within(1e-9));
    }

    @Test
    void aFewExtremeDaysDoNotTiltTheTrend() {
        List<DemandRow> clean = rows("A", 1500, 10, true, 2);
        List<DemandRow> dirty = new ArrayList<>(clean);
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < 30; i++) { // 2 % stock-out days, all late in the history: they pull an OLS line down at the end
            int k = 1200 + rnd.nextInt(300);
            DemandRow r = dirty.get(k);
            dirty.set(k, new DemandRow(r.date(), r.productId(), r.avgBasketValue(), r.promoFlag(), 0));
        }
        double ols = new BaselineFit(0).fitProduct(dirty).slope();
        double huber = new BaselineFit(3).fitProduct(dirty).slope();
        assertThat(Math.abs(huber - 0.02)).as("Huber slope %s vs OLS %s", huber, ols).isLessThan(Math.abs(ols - 0.02) / 3);
        assertThat(huber).isCloseTo(0.02, within(0.002));
    }

    @Test
    void columnsWithoutVariationGetNoEffect() {
        ProductBaseline neverOnPromotion = new BaselineFit(3).fitProduct(rows("B", 400, 1, false, 3));
        assertThat(neverOnPromotion.promoEffect()).isZero();
        assertThat(neverOnPromotion.promoRatio(1)).isEqualTo(1);
        assertThat(neverOnPromotion.slope()).isCloseTo(0.02, within(0.01));
        // one observation: only the intercept, a flat level at that demand
        ProductBaseline single = new BaselineFit(3).fitProduct(rows("C", 1, 0, true, 4));
        assertThat(single.slope()).isZero();
        assertThat(single.level(START.toEpochDay() + 9000)).isCloseTo(single.mean(), within(1e-6));
        Map<String, ProductBaseline> both = new BaselineFit(3).fit(
                java.util.stream.Stream.concat(rows("X", 30, 1, true, 5).stream(), rows("Y", 30, 1, true, 6).stream()).toList());
        assertThat(both).containsOnlyKeys("X", "Y");
    }

    @Test
    void theLevelNeverFallsToZero() {
        List<DemandRow> falling = new ArrayList<>();
        for (int d = 0; d < 300; d++) {
            falling.add(new DemandRow(START.plusDays(d), "F", 85, 0, Math.max(0, 300 - d)));
        }
        ProductBaseline b = new BaselineFit(3).fitProduct(falling);
        assertThat(b.level(START.toEpochDay() + 10_000)).isEqualTo(b.floor()).isPositive();
    }
}
