package com.orderintel.dataset;

/**
 * Clinger's exact fast path for the plain decimals of data files ({@code 87.62}, {@code -3}, {@code 150}): a
 * significand below 2^53 and at most 22 fraction digits are both exact doubles, so one IEEE division gives the
 * correctly rounded value, the same bits as {@code Double.parseDouble} (DecimalsTest compares millions). Anything
 * else (exponents, more digits, hex, NaN, Infinity, junk) returns NaN and goes to {@code Double.parseDouble}.
 *
 * <p>Written here because FastDoubleParser, the library that does this and more, initialises its SWAR tables through
 * VarHandles at first use, which cost about 45 ms of a 1-second command's start-up, more than parsing the file.
 */
final class Decimals {

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final long EXACT = 1L << 53;

    private Decimals() {
    }

    /** The value of {@code c[from, to)} when it is {@code [+-]digits[.digits]} within the exact range, else NaN. */
    static double parse(char[] c, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (c[i] == '-' || c[i] == '+')) {
            negative = c[i] == '-';
            i++;
        }
        long m = 0;
        int digits = 0;
        int fraction = -1; // digits after the point; -1: no point seen
        for (; i < to; i++) {
            char ch = c[i];
            if (ch >= '0' && ch <= '9') {
                if (m >= EXACT / 10) {
                    return Double.NaN; // too many digits for the fast path
                }
                m = m * 10 + (ch - '0');
                digits++;
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (ch == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0 || fraction > 22) {
            return Double.NaN;
        }
        double v = fraction > 0 ? m / POW10[fraction] : m;
        return negative ? -v : v;
    }
}
