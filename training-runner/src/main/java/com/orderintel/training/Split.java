package com.orderintel.training;

import com.orderintel.dataset.DataException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A seeded shuffle split into train and test parts, like scikit-learn's train_test_split, or a time-ordered one. */
public record Split<T>(List<T> train, List<T> test) {

    /** How held-out rows are chosen: a seeded shuffle, or the latest rows (forecasting the future from the past). */
    public enum Kind { RANDOM, TIME }

    /** The split of the given kind; for TIME, rows are ordered by {@code order} (stable) and the last ones held out. */
    public static <T> Split<T> of(List<T> rows, double testSize, long seed, Kind kind, java.util.Comparator<T> order) {
        if (kind == Kind.RANDOM) {
            return of(rows, testSize, seed);
        }
        int nTest = testRows(rows, testSize);
        List<T> sorted = new ArrayList<>(rows);
        sorted.sort(order);
        int cut = sorted.size() - nTest;
        return new Split<>(List.copyOf(sorted.subList(0, cut)), List.copyOf(sorted.subList(cut, sorted.size())));
    }

    public static <T> Split<T> of(List<T> rows, double testSize, long seed) {
        int nTest = testRows(rows, testSize);
        List<T> shuffled = new ArrayList<>(rows);
        java.util.Collections.shuffle(shuffled, new Random(seed));
        return new Split<>(List.copyOf(shuffled.subList(nTest, shuffled.size())), List.copyOf(shuffled.subList(0, nTest)));
    }

    private static int testRows(List<?> rows, double testSize) {
        if (!(testSize >= 0 && testSize < 1)) {
            throw new DataException("--test-size must be in [0, 1), got " + testSize);
        }
        int nTest = (int) Math.ceil(rows.size() * testSize);
        if (testSize > 0 && rows.size() - nTest < 2) {
            throw new DataException("--test-size " + testSize + " leaves fewer than 2 training rows out of " + rows.size());
        }
        return nTest;
    }
}
