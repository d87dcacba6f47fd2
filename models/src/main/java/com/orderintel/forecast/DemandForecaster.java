package com.orderintel.forecast;

import com.orderintel.registry.ServableModel;

import java.util.List;
import java.util.Set;

/** A loaded demand model in its serving form. Implementations are immutable and thread-safe. */
public interface DemandForecaster extends ServableModel {

    /** Predicted demand; throws {@link UnknownProductException} when the model has no data for the product. */
    double predict(DemandQuery query);

    /** Predictions in input order; same rules as {@link #predict(DemandQuery)}. */
    default double[] predictBatch(List<DemandQuery> queries) {
        double[] out = new double[queries.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = predict(queries.get(i));
        }
        return out;
    }

    /**
     * The forecast of {@link #predict} split into a base and one contribution per model feature; throws
     * {@link UnknownProductException} as predict does.
     */
    default ForecastExplanation explain(DemandQuery query) {
        throw new UnsupportedOperationException("model " + manifest().name() + " (" + getClass().getSimpleName()
                + ") gives no explanations");
    }

    /** Product ids the model can forecast; empty means any product (a pooled model). */
    Set<String> products();
}
