package com.orderintel.advisor.forecast;

import com.orderintel.advisor.feedback.PredictionLog;
import com.orderintel.advisor.metrics.DriftMonitor;
import com.orderintel.advisor.metrics.Outcome;
import com.orderintel.advisor.metrics.PredictionMetrics;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.advisor.web.ModelRef;
import com.orderintel.advisor.web.ServingGate;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.UnknownProductException;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Demand forecasting for REST and Open Inference Protocol callers: validate, take the current model once,
 * predict, then count, record drift inputs and log the prediction for feedback.
 */
@Service
public class ForecastService {

    private final ServingGate gate;
    private final PredictionMetrics metrics;
    private final DriftMonitor drift;
    private final PredictionLog predictions;

    public ForecastService(ServingGate gate, PredictionMetrics metrics, DriftMonitor drift, PredictionLog predictions) {
        this.gate = gate;
        this.metrics = metrics;
        this.drift = drift;
        this.predictions = predictions;
    }

    public ForecastResponse forecast(ForecastRequest request) {
        LoadedModel model = gate.admit(ModelSlot.DEMAND, request);
        String name = model.name();
        DemandForecaster forecaster = (DemandForecaster) model.model();
        DemandQuery query = request.toQuery();
        checkProduct(forecaster, name, query.productId(), "product_id", 1);
        double predicted = forecaster.predict(query);
        drift.recordDemand(model, query);
        metrics.count(name, Outcome.OK, 1);
        return response(model, query, predicted);
    }

    public List<ForecastResponse> forecastBatch(List<ForecastRequest> items) {
        LoadedModel model = gate.admitBatch(ModelSlot.DEMAND, items);
        String name = model.name();
        DemandForecaster forecaster = (DemandForecaster) model.model();
        List<DemandQuery> queries = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            DemandQuery q = items.get(i).toQuery();
            checkProduct(forecaster, name, q.productId(), "items[" + i + "].product_id", items.size());
            queries.add(q);
        }
        double[] predicted = forecaster.predictBatch(queries);
        drift.recordDemand(model, queries);
        metrics.count(name, Outcome.OK, queries.size());
        List<ForecastResponse> out = new ArrayList<>(queries.size());
        for (int i = 0; i < predicted.length; i++) {
            out.add(response(model, queries.get(i), predicted[i]));
        }
        return out;
    }

    private void checkProduct(DemandForecaster forecaster, String name, String product, String field, int records) {
        Set<String> known = forecaster.products();
        if (!known.isEmpty() && !known.contains(product)) {
            metrics.count(name, Outcome.UNKNOWN_PRODUCT, records);
            throw new InvalidInputException(field, new UnknownProductException(product).getMessage());
        }
    }

    private ForecastResponse response(LoadedModel model, DemandQuery q, double predicted) {
        String id = predictions.demand(model.name(), model.version(), predicted);
        return new ForecastResponse(q.productId(), q.date(), predicted, ModelRef.of(model), id);
    }
}
