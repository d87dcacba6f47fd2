package com.orderintel.advisor.serving;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;

import java.util.List;

/**
 * Where the pipeline hands what one model answered so the other (primary or candidate) scores the same records off
 * the request path. Like {@link PredictionCapture} it must never block or fail the request: implementations queue
 * (bounded) and count what they drop.
 */
public interface ShadowScoring {

    /** True when the record with this routing key (order id, product id) is answered by the candidate (canary). */
    boolean canary(ModelSlot<?> slot, String routingKey);

    /**
     * @param answered the model whose results were returned
     * @param other    the model to score the same orders with, off the request path
     * @param canary   true when the candidate answered (canary share) and {@code other} is the primary
     */
    void orders(Source source, LoadedModel<AnomalyDetector> answered, LoadedModel<AnomalyDetector> other, boolean canary,
                List<OrderMetrics> orders, List<AnomalyResult> results, List<String> predictionIds);

    void forecasts(Source source, LoadedModel<DemandForecaster> answered, LoadedModel<DemandForecaster> other, boolean canary,
                   List<DemandQuery> queries, List<Double> predicted, List<String> predictionIds);

    /** No shadow scoring (tests that build the pipeline by hand). */
    ShadowScoring OFF = new ShadowScoring() {
        @Override
        public boolean canary(ModelSlot<?> slot, String routingKey) {
            return false;
        }

        @Override
        public void orders(Source source, LoadedModel<AnomalyDetector> answered, LoadedModel<AnomalyDetector> other,
                           boolean canary, List<OrderMetrics> orders, List<AnomalyResult> results, List<String> predictionIds) {
        }

        @Override
        public void forecasts(Source source, LoadedModel<DemandForecaster> answered, LoadedModel<DemandForecaster> other,
                              boolean canary, List<DemandQuery> queries, List<Double> predicted, List<String> predictionIds) {
        }
    };
}
