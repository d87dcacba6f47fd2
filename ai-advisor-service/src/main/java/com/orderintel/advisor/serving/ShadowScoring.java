package com.orderintel.advisor.serving;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.registry.ServableModel;

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
     * @param other    the model to score the same records with, off the request path
     * @param canary   true when the candidate answered (canary share) and {@code other} is the primary
     */
    <M extends ServableModel, I, O> void offer(ServingTask<M, I, O, ?> task, Source source, LoadedModel<M> answered,
                                               LoadedModel<M> other, boolean canary, List<I> inputs, List<O> results,
                                               List<String> predictionIds);

    /** No shadow scoring (tests that build the pipeline by hand). */
    ShadowScoring OFF = new ShadowScoring() {
        @Override
        public boolean canary(ModelSlot<?> slot, String routingKey) {
            return false;
        }

        @Override
        public <M extends ServableModel, I, O> void offer(ServingTask<M, I, O, ?> task, Source source, LoadedModel<M> answered,
                                                          LoadedModel<M> other, boolean canary, List<I> inputs, List<O> results,
                                                          List<String> predictionIds) {
        }
    };
}
