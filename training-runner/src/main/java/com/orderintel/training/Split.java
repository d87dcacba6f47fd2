package com.orderintel.training;

import com.orderintel.dataset.DataException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A seeded shuffle split into train and test parts, like scikit-learn's train_test_split. */
public record Split<T>(List<T> train, List<T> test) {

    public static <T> Split<T> of(List<T> rows, double testSize, long seed) {
        if (!(testSize >= 0 && testSize < 1)) {
            throw new DataException("--test-size must be in [0, 1), got " + testSize);
        }
        int nTest = (int) Math.ceil(rows.size() * testSize);
        if (testSize > 0 && rows.size() - nTest < 2) {
            throw new DataException("--test-size " + testSize + " leaves fewer than 2 training rows out of " + rows.size());
        }
        List<T> shuffled = new ArrayList<>(rows);
        java.util.Collections.shuffle(shuffled, new Random(seed));
        return new Split<>(List.copyOf(shuffled.subList(nTest, shuffled.size())), List.copyOf(shuffled.subList(0, nTest)));
    }
}
