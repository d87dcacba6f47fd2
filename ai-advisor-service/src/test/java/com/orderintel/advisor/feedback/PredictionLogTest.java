package com.orderintel.advisor.feedback;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionLogTest {

    @Test
    void keepsTheLastCapacityPredictionsAndFindsThemById() {
        PredictionLog log = new PredictionLog(new FeedbackProperties(100, java.time.Duration.ofSeconds(10)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add(log.demand("demand-forecast", "v1", "SKU-1|2024-08-15", i, true));
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(log.find(ids.get(149))).isNull(); // evicted by the ring
        PredictionLog.Prediction p = log.find(ids.get(150));
        assertThat(p.value()).isEqualTo(150.0);
        assertThat(p.kind()).isEqualTo(PredictionLog.Kind.DEMAND);
        assertThat(log.find(ids.get(249)).value()).isEqualTo(249.0);
    }

    @Test
    void aBatchIsRecordedAsItsRecordsOneByOneWouldBe() {
        PredictionLog log = new PredictionLog(new FeedbackProperties(100, java.time.Duration.ofSeconds(10)));
        String before = log.anomaly("order-anomaly", "v1", "o-0", false, 0.1, true);
        List<String> keys = List.of("o-1", "o-2", "o-3");
        List<String> ids = log.anomalies("order-anomaly", "v1", 3, keys::get, i -> i == 1, i -> -0.1 * i, false);
        String after = log.anomaly("order-anomaly", "v1", "o-4", false, 0.1, true);
        String instance = before.substring(0, before.indexOf('-'));
        assertThat(ids).hasSize(3).doesNotHaveDuplicates().allMatch(id -> id.matches(instance + "-[0-9]+-[0-9a-f]{16}"));
        assertThat(ids).extracting(id -> id.split("-")[1]).containsExactly("1", "2", "3");
        assertThat(after.split("-")[1]).isEqualTo("4");
        for (int i = 0; i < 3; i++) {
            PredictionLog.Prediction p = log.find(ids.get(i));
            assertThat(p.key()).isEqualTo(keys.get(i));
            assertThat(p.anomalous()).isEqualTo(i == 1);
            assertThat(p.value()).isEqualTo(-0.1 * i);
            assertThat(p.trusted()).isFalse();
            assertThat(p.kind()).isEqualTo(PredictionLog.Kind.ANOMALY);
            assertThat(log.find(ids.get(i).substring(0, ids.get(i).lastIndexOf('-') + 1) + "0000000000000000")).isNull();
        }
        List<String> demand = log.demands("demand-forecast", "v1", 2, i -> "p|2026-01-0" + (i + 1), i -> 10.0 + i, true);
        assertThat(log.find(demand.get(1)).key()).isEqualTo("p|2026-01-02");
        assertThat(log.find(demand.get(1)).value()).isEqualTo(11.0);
        assertThat(log.find(demand.get(1)).kind()).isEqualTo(PredictionLog.Kind.DEMAND);
    }

    @Test
    void refusesForeignAndMalformedIdsAndCountsFeedbackOnce() {
        PredictionLog log = new PredictionLog(new FeedbackProperties(10, java.time.Duration.ofSeconds(10)));
        String id = log.anomaly("order-anomaly", "v1", "o-1", true, -0.2, true);
        assertThat(log.find("ffffffff-0")).isNull();
        assertThat(log.find(id.substring(0, id.lastIndexOf('-')) + "-0000000000000000"))
                .as("the right sequence with a guessed secret").isNull();
        assertThat(log.find(id + "x")).isNull();
        assertThat(log.find(null)).isNull();
        assertThat(log.find(new PredictionLog(new FeedbackProperties(10, java.time.Duration.ofSeconds(10))).anomaly("order-anomaly", "v1", "o-1", true, -0.2, true))).isNull();

        PredictionLog.Prediction p = log.find(id);
        assertThat(p.anomalous()).isTrue();
        assertThat(p.key()).isEqualTo("o-1");
        assertThat(log.claimFeedback(p)).isTrue();
        assertThat(log.claimFeedback(log.find(id))).isFalse();
        assertThat(log.claimFeedback(p)).isFalse();
    }

    /**
     * The attack on the previous scheme (secrets from a seeded SplittableRandom): invert its output function on one
     * observed secret and step the generator to forge the next id. It must not find the next prediction.
     */
    @Test
    void oneObservedSecretDoesNotGiveAwayTheNext() {
        PredictionLog log = new PredictionLog(new FeedbackProperties(100, java.time.Duration.ofSeconds(10)));
        String mine = log.anomaly("order-anomaly", "v1", "o-1", false, 0.1, true);
        String theirs = log.anomaly("order-anomaly", "v1", "o-2", true, -0.3, true);
        long observed = Long.parseUnsignedLong(mine.substring(mine.lastIndexOf('-') + 1), 16);
        long predicted = splittableMix64(splittableUnmix64(observed) + 0x9e3779b97f4a7c15L);
        String prefix = theirs.substring(0, theirs.lastIndexOf('-') + 1);
        assertThat(log.find(prefix + java.util.HexFormat.of().toHexDigits(predicted))).isNull();
        assertThat(log.find(theirs)).isNotNull();
    }

    @Test
    void idsFromManyThreadsAreDistinctAndFound() throws Exception {
        PredictionLog log = new PredictionLog(new FeedbackProperties(40_000, java.time.Duration.ofSeconds(10)));
        java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < 4_000; i++) {
                        ids.add(log.demand("order-demand", "v1", "p|2026-01-01", i, true));
                    }
                });
            }
        }
        assertThat(ids).hasSize(32_000);
        assertThat(ids).allSatisfy(id -> assertThat(log.find(id)).isNotNull());
    }

    /** Memory per prediction is bounded in bytes: a key longer than the bound is not kept, whoever sends it. */
    @org.junit.jupiter.api.Tag("attack")
    @Test
    void aPredictionHoldsAKeyOfBoundedSizeOnly() throws InterruptedException {
        PredictionLog log = new PredictionLog(new FeedbackProperties(2_000, java.time.Duration.ofSeconds(10)));
        String ordinary = "o-" + "x".repeat(126);
        assertThat(log.find(log.anomaly("m", "v", ordinary, false, 0.1, true)).key()).isEqualTo(ordinary);
        assertThat(log.find(log.demand("m", "v", PredictionLog.demandKey("p".repeat(128), java.time.LocalDate.of(2024, 8, 15)), 3, true))
                .key()).as("an identifier of 128 and a day").hasSize(139);

        long before = usedHeapAfterGc();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) { // 1,000 distinct 100,000-character keys: about 100 MB had they been kept
            ids.add(log.anomaly("m", "v", i + "k".repeat(100_000), false, 0.1, true));
        }
        long after = usedHeapAfterGc();
        assertThat(log.find(ids.get(500))).as("still matchable by its id").isNotNull();
        assertThat(log.find(ids.get(500)).key()).as("but the key is not kept").isNull();
        assertThat((after - before) >> 20).as("MB held by 1,000 predictions with 100,000-character keys").isLessThan(10);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long splittableMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long splittableUnmix64(long z) {
        z = z ^ (z >>> 31) ^ (z >>> 62);
        z *= inverse(0x94d049bb133111ebL);
        z = z ^ (z >>> 27) ^ (z >>> 54);
        z *= inverse(0xbf58476d1ce4e5b9L);
        return z ^ (z >>> 30) ^ (z >>> 60);
    }

    /** Multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
    private static long inverse(long a) {
        long x = a;
        for (int i = 0; i < 5; i++) {
            x *= 2 - a * x;
        }
        return x;
    }
}
