package com.orderintel.advisor.serving;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.forecast.DemandQuery;

import java.util.List;

/**
 * Where the pipeline hands every scored record for the MLOps loop (capture to the shared store). Must never block
 * or fail the request: implementations buffer and count what they cannot keep.
 */
public interface PredictionCapture {

    /**
     * @param trusted whether the records came from a trusted source ({@link CallerTrust}): only those become training
     *                rows, take labels and count as shadow evidence
     * @param imputed per record, the features filled from training medians (empty lists when none)
     */
    void orders(Source source, boolean trusted, LoadedModel<?> model, List<OrderMetrics> orders, List<AnomalyResult> results,
                List<String> predictionIds, List<List<String>> imputed);

    void forecasts(Source source, boolean trusted, LoadedModel<?> model, List<DemandQuery> queries, List<Double> predicted,
                   List<String> predictionIds);

    /**
     * The other model's outputs for records already captured (shadow scoring): same prediction ids, kept beside the
     * answered ones. Default: not kept.
     */
    default void shadowOrders(LoadedModel<?> model, List<String> predictionIds, List<AnomalyResult> results) {
    }

    default void shadowForecasts(LoadedModel<?> model, List<String> predictionIds, List<Double> predicted) {
    }

    /** Capture switched off (no database, or {@code advisor.capture.enabled=false}). */
    PredictionCapture OFF = new PredictionCapture() {
        @Override
        public void orders(Source source, boolean trusted, LoadedModel<?> model, List<OrderMetrics> orders, List<AnomalyResult> results,
                           List<String> predictionIds, List<List<String>> imputed) {
        }

        @Override
        public void forecasts(Source source, boolean trusted, LoadedModel<?> model, List<DemandQuery> queries,
                              List<Double> predicted, List<String> predictionIds) {
        }
    };
}
