package com.orderintel.models;

import java.util.function.DoublePredicate;

/**
 * Where a monotone predicate over the doubles turns from false to true, found exactly by bisection over the
 * doubles in their order (-0.0 just below +0.0): at most 64 tests. Used where a comparison done in one arithmetic
 * (a float compare, a scaled product) must become a plain threshold on the double itself: the complete-tree
 * layout's split thresholds and XGBoost's float splits exported to the flat form.
 */
public final class DoubleBoundary {

    private DoubleBoundary() {
    }

    /**
     * The first finite double where {@code pred} holds, for a predicate false at {@code -Double.MAX_VALUE}, true at
     * {@code Double.MAX_VALUE} and monotone between; {@link #before(double)} of it is the last double where it
     * does not.
     */
    public static double firstTrue(DoublePredicate pred) {
        long lo = key(-Double.MAX_VALUE); // pred false
        long hi = key(Double.MAX_VALUE); // pred true
        while (Long.compareUnsigned(hi - lo, 1) > 0) {
            long mid = lo + ((hi - lo) >>> 1);
            if (pred.test(fromKey(mid))) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return fromKey(hi);
    }

    /** The double just below {@code x} in the order above (so {@code before(0.0)} is -0.0); x above -MAX_VALUE. */
    public static double before(double x) {
        return fromKey(key(x) - 1);
    }

    /** Order-preserving map of doubles to longs (-0.0 just below +0.0). */
    private static long key(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
    }

    private static double fromKey(long key) {
        return Double.longBitsToDouble(key >= 0 ? key : key ^ Long.MAX_VALUE);
    }
}
