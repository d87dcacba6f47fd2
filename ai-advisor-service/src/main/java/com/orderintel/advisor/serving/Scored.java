package com.orderintel.advisor.serving;

import com.orderintel.advisor.model.LoadedModel;

import java.util.List;

/**
 * What the pipeline scored: the one model version that scored every record, the inputs as scored, the results and
 * the prediction ids, all in input order.
 */
public record Scored<I, R>(LoadedModel<?> model, List<I> inputs, List<R> results, List<String> predictionIds) {

    public int size() {
        return inputs.size();
    }
}
