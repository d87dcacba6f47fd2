package com.orderintel.training.report;

import java.util.Arrays;
import java.util.Random;

/** Seeded samples of row indices, so the report's cost stays flat however large the data set is. */
final class Sample {

    private Sample() {
    }

    /** Up to {@code k} distinct indices of {@code [0, n)}, sorted; all of them when {@code n <= k}. */
    static int[] indices(int n, int k, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (n <= k) {
            return all;
        }
        Random random = new Random(seed);
        for (int i = 0; i < k; i++) { // partial Fisher-Yates: the first k slots are a uniform sample
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, k);
        Arrays.sort(out);
        return out;
    }
}
