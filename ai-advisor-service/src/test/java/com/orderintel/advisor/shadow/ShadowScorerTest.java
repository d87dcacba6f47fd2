package com.orderintel.advisor.shadow;

import com.orderintel.advisor.serving.PredictionCapture;
import com.orderintel.advisor.serving.ServingTask;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.support.TrainedModels;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.registry.ModelManifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The shadow worker on its own: a full queue drops and counts without the caller (the request thread) ever waiting
 * for the shadow model, the agreement gauges are the figures of the pairs, and the canary share is a stable split.
 */
class ShadowScorerTest {

    private static final TrainedModels MODELS = TrainedModels.create();
    static final String SECRET = "canary-secret-of-this-test";

    /** Keeps what the shadow captured. */
    private static final class Kept implements PredictionCapture {
        final AtomicInteger shadowRows = new AtomicInteger();

        @Override
        public void orders(Source source, boolean trusted, LoadedModel<?> model, List<OrderMetrics> orders,
                           List<AnomalyResult> results, List<String> predictionIds, List<List<String>> imputed) {
        }

        @Override
        public void forecasts(Source source, boolean trusted, LoadedModel<?> model, List<DemandQuery> queries,
                              List<Double> predicted, List<String> predictionIds) {
        }

        @Override
        public void shadowOrders(LoadedModel<?> model, List<String> predictionIds, List<AnomalyResult> results) {
            shadowRows.addAndGet(results.size());
        }

        @Override
        public void shadowForecasts(LoadedModel<?> model, List<String> predictionIds, List<Double> predicted) {
            shadowRows.addAndGet(predicted.size());
        }
    }

    private static <M extends com.orderintel.registry.ServableModel> LoadedModel<M> loaded(ModelSlot<M> slot, M model) {
        return new LoadedModel<>(slot, "test://" + model.manifest().version(), model, Instant.now());
    }

    private static OrderMetrics order(int i) {
        OrderRow r = MODELS.orderRows.get(i % MODELS.orderRows.size());
        return new OrderMetrics("o-" + i, r.avgProcessingMs(), r.itemCount(), r.paymentScore());
    }

    @Test
    void aFullQueueDropsAndCountsWithoutTheRequestThreadWaiting() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Kept capture = new Kept();
        ShadowScorer scorer = new ShadowScorer(new ShadowProperties(4, 100), capture, meters);
        scorer.start();
        CountDownLatch release = new CountDownLatch(1);
        AnomalyDetector real = MODELS.anomalyModel;
        ModelManifest v2 = MODELS.publishAnomalyVersion("v2").model().manifest();
        // a candidate that hangs until released: were the caller to wait for it, the loop below would never end
        AnomalyDetector stuck = new AnomalyDetector() {
            @Override
            public AnomalyResult score(OrderMetrics order) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return real.score(order);
            }

            @Override
            public ModelManifest manifest() {
                return v2;
            }
        };
        LoadedModel<AnomalyDetector> primary = loaded(ModelSlot.ANOMALY, real);
        LoadedModel<AnomalyDetector> candidate = loaded(ModelSlot.ANOMALY, stuck);
        int requests = 2000;
        long[] nanos = new long[requests];
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < requests; i++) {
                    long t0 = System.nanoTime();
                    OrderMetrics o = order(i);
                    List<AnomalyResult> answered = List.of(real.score(o));
                    scorer.offer(ServingTask.ANOMALY, Source.REST, primary, candidate, false, List.of(o), answered, List.of("p-" + i));
                    nanos[i] = System.nanoTime() - t0;
                }
            });
            // one job in the (stuck) worker, four queued, the rest dropped and counted under the candidate's name
            double dropped = meters.get("advisor.shadow.dropped").tag("model", "order-anomaly").counter().count();
            assertThat(dropped).isBetween(requests - 5.0, requests - 4.0);
            assertThat(scorer.queued()).isEqualTo(4);
            java.util.Arrays.sort(nanos);
            System.out.printf("shadow queue full: request-thread time per scored order p50 %.1f µs, p99 %.1f µs (%d dropped)%n",
                    nanos[requests / 2] / 1e3, nanos[requests * 99 / 100] / 1e3, (long) dropped);
            assertThat(nanos[requests / 2]).as("median request-thread time with the shadow stuck").isLessThan(1_000_000L);
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> capture.shadowRows.get() >= requests - dropped(meters));
        assertThat(meters.get("advisor.shadow.scored").tag("model", "order-anomaly").counter().count())
                .isEqualTo(requests - dropped(meters));
        scorer.stop();
    }

    private static double dropped(SimpleMeterRegistry meters) {
        return meters.get("advisor.shadow.dropped").tag("model", "order-anomaly").counter().count();
    }

    @Test
    void theAgreementGaugesAreTheFiguresOfThePairs() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ShadowScorer scorer = new ShadowScorer(new ShadowProperties(1000, 500), new Kept(), meters);
        scorer.start();
        try {
            AnomalyDetector v1 = MODELS.anomalyModel;
            AnomalyDetector v2 = MODELS.publishAnomalyVersion("v2").model();
            LoadedModel<AnomalyDetector> primary = loaded(ModelSlot.ANOMALY, v1);
            LoadedModel<AnomalyDetector> candidate = loaded(ModelSlot.ANOMALY, v2);
            List<OrderMetrics> orders = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                orders.add(order(i * 7)); // spread over the data (anomalies included)
            }
            List<AnomalyResult> p = v1.scoreBatch(orders);
            List<AnomalyResult> c = v2.scoreBatch(orders);
            for (int i = 0; i < orders.size(); i += 100) { // six requests of 100
                scorer.offer(ServingTask.ANOMALY, Source.BATCH, primary, candidate, false, orders.subList(i, i + 100), p.subList(i, i + 100),
                        ids(i, 100));
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    meters.get("advisor.shadow.scored").tag("model", "order-anomaly").counter().count() == 600);
            // the window holds the last 500 pairs
            List<AnomalyResult> lp = p.subList(100, 600);
            List<AnomalyResult> lc = c.subList(100, 600);
            long same = 0;
            for (int i = 0; i < 500; i++) {
                same += lp.get(i).anomalous() == lc.get(i).anomalous() ? 1 : 0;
            }
            assertThat(gauge(meters, "advisor.shadow.window")).isEqualTo(500);
            assertThat(gauge(meters, "advisor.shadow.agreement")).isEqualTo(same / 500.0);
            assertThat(gauge(meters, "advisor.shadow.score.correlation")).isCloseTo(pearson(lp, lc), within(1e-9))
                    .as("two forests on the same data rank orders alike").isGreaterThan(0.8);
            assertThat(gauge(meters, "advisor.shadow.forecast.mae")).isNaN();

            // a canary record: the candidate answered, the primary is scored in the background; same pair of versions
            scorer.offer(ServingTask.ANOMALY, Source.REST, candidate, primary, true, orders.subList(0, 1), c.subList(0, 1), ids(9000, 1));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    meters.get("advisor.shadow.scored").tag("model", "order-anomaly").counter().count() == 601);
            assertThat(gauge(meters, "advisor.shadow.window")).isEqualTo(500);
        } finally {
            scorer.stop();
        }
    }

    @Test
    void forecastPairsGiveTheMeanAbsoluteDifference() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ShadowScorer scorer = new ShadowScorer(new ShadowProperties(100, 100), new Kept(), meters);
        scorer.start();
        try {
            DemandForecaster v1 = MODELS.demandModel;
            DemandForecaster plusTwo = new DemandForecaster() { // a candidate forecasting 2 more than the primary
                @Override
                public double predict(DemandQuery q) {
                    return v1.predict(q) + 2;
                }

                @Override
                public Set<String> products() {
                    return v1.products();
                }

                @Override
                public ModelManifest manifest() {
                    return v1.manifest();
                }
            };
            String product = MODELS.demandRows.getFirst().productId();
            List<DemandQuery> qs = List.of(new DemandQuery(LocalDate.of(2026, 1, 1), product, 80, 0),
                    new DemandQuery(LocalDate.of(2026, 1, 2), product, 95, 1));
            List<Double> answered = java.util.Arrays.stream(v1.predictBatch(qs)).boxed().toList();
            scorer.offer(ServingTask.DEMAND, Source.REST, loaded(ModelSlot.DEMAND, v1), loaded(ModelSlot.DEMAND, plusTwo), false, qs,
                    answered, ids(0, 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(meters, "advisor.shadow.window") == 2);
            assertThat(gauge(meters, "advisor.shadow.forecast.mae")).isCloseTo(2.0, within(1e-9));
            assertThat(gauge(meters, "advisor.shadow.agreement")).isNaN();
        } finally {
            scorer.stop();
        }
    }

    @Test
    void theCanaryShareIsAStableSplitByKey() {
        ShadowScorer none = new ShadowScorer(new ShadowProperties(10, 10), new Kept(), new SimpleMeterRegistry());
        ShadowScorer fifth = new ShadowScorer(new ShadowProperties(10, 10, 0.2, SECRET), new Kept(), new SimpleMeterRegistry());
        ShadowScorer all = new ShadowScorer(new ShadowProperties(10, 10, 1, SECRET), new Kept(), new SimpleMeterRegistry());
        int canary = 0;
        for (int i = 0; i < 20_000; i++) {
            String key = "order-" + i;
            boolean c = fifth.canary(ModelSlot.ANOMALY, key);
            assertThat(fifth.canary(ModelSlot.ANOMALY, key)).as("the same order meets the same model").isEqualTo(c);
            assertThat(none.canary(ModelSlot.ANOMALY, key)).isFalse();
            assertThat(all.canary(ModelSlot.ANOMALY, key)).isTrue();
            canary += c ? 1 : 0;
        }
        assertThat(canary / 20_000.0).isCloseTo(0.2, within(0.015));
        // the split is a function of the secret and the key: the same on every replica and after restarts
        assertThat(ShadowScorer.bucket(SECRET, "order-1")).isEqualTo(ShadowScorer.bucket(new String(SECRET), new String("order-1")));
        assertThat(ShadowScorer.bucket(SECRET, "order-1")).isNotEqualTo(ShadowScorer.bucket(SECRET, "order-2"));
    }

    private static List<String> ids(int from, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("pid-" + (from + i));
        }
        return out;
    }

    /** The one gauge of that name (each test's registry sees one candidate model). */
    private static double gauge(SimpleMeterRegistry meters, String name) {
        return meters.get(name).gauge().value();
    }

    private static double pearson(List<AnomalyResult> a, List<AnomalyResult> b) {
        int n = a.size();
        double ma = a.stream().mapToDouble(AnomalyResult::score).average().orElseThrow();
        double mb = b.stream().mapToDouble(AnomalyResult::score).average().orElseThrow();
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < n; i++) {
            double da = a.get(i).score() - ma;
            double db = b.get(i).score() - mb;
            cov += da * db;
            va += da * da;
            vb += db * db;
        }
        return cov / Math.sqrt(va * vb);
    }
}
