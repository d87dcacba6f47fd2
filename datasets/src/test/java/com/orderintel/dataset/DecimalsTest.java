package com.orderintel.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast path gives the same bits as Double.parseDouble, and hands every other form back (NaN). */
class DecimalsTest {

    private static double parse(String s) {
        return Decimals.parse(s.toCharArray(), 0, s.length());
    }

    @Test
    void sameBitsAsTheJdkOnMillionsOfDecimals() {
        SplittableRandom rnd = new SplittableRandom(7);
        int fast = 0;
        for (int i = 0; i < 2_000_000; i++) {
            String s = switch (i % 4) {
                case 0 -> String.format(java.util.Locale.ROOT, "%.2f", rnd.nextDouble(0, 1000)); // prices, baskets
                case 1 -> Long.toString(rnd.nextLong(-1_000_000, 1_000_000)); // counts
                case 2 -> Double.toString(rnd.nextDouble(-1e6, 1e6)); // up to 17 digits
                default -> (rnd.nextBoolean() ? "-" : "") + rnd.nextLong(0, 1L << 62) + "." + rnd.nextLong(0, 1_000_000_000L);
            };
            double d = parse(s);
            if (!Double.isNaN(d)) {
                fast++;
                assertThat(Double.doubleToRawLongBits(d)).as(s).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
            }
        }
        assertThat(fast).as("the fast path takes the plain decimals").isGreaterThan(1_000_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+7", "1.", ".5", "87.62", "0000123.4500", "900719925474098", "0.0000000000000000000001"})
    void plainForms(String s) {
        assertThat(Double.doubleToRawLongBits(parse(s))).as(s).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", ".", "1e5", "0x1p3", "NaN", "Infinity", "1.2.3", "12a", " 1", "9007199254740991", "9007199254740993",
        "0.00000000000000000000001", "1d"})
    void everythingElseGoesToTheJdk(String s) {
        assertThat(parse(s)).as(s).isNaN();
    }
}
