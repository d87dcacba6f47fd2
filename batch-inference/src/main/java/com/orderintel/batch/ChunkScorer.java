package com.orderintel.batch;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;

import java.util.List;

/**
 * How a batch run scores one chunk of parsed rows. The runner's {@code infer} calls the model directly; the service
 * passes its serving pipeline, so rows it scores in a batch are counted, monitored and logged like every other
 * prediction. Results are in input order.
 */
public interface ChunkScorer {

    List<AnomalyResult> scoreOrders(AnomalyDetector model, List<OrderMetrics> orders);

    double[] forecast(DemandForecaster model, List<DemandQuery> queries);

    /**
     * Straight to the model on the calling thread: for callers that already run one task per core (Spark's
     * executors), where splitting a chunk again would only oversubscribe the cores.
     */
    static ChunkScorer sequential() {
        return new ChunkScorer() {
            @Override
            public List<AnomalyResult> scoreOrders(AnomalyDetector model, List<OrderMetrics> orders) {
                return model.scoreBatch(orders);
            }

            @Override
            public double[] forecast(DemandForecaster model, List<DemandQuery> queries) {
                return model.predictBatch(queries);
            }
        };
    }

    /** Straight to the model: large chunks are split over the cores (scoring is pure and CPU-bound). */
    static ChunkScorer direct() {
        return new ChunkScorer() {
            @Override
            public List<AnomalyResult> scoreOrders(AnomalyDetector model, List<OrderMetrics> orders) {
                int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), orders.size() / 256));
                int size = (orders.size() + parts - 1) / parts;
                return java.util.stream.IntStream.range(0, parts).parallel()
                        .mapToObj(p -> model.scoreBatch(orders.subList(p * size, Math.min(orders.size(), (p + 1) * size))))
                        .flatMap(List::stream).toList();
            }

            @Override
            public double[] forecast(DemandForecaster model, List<DemandQuery> queries) {
                return model.predictBatch(queries);
            }
        };
    }
}
