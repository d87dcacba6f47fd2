package com.orderintel.advisor.forecast;

import com.orderintel.advisor.feedback.PredictionLog;
import com.orderintel.advisor.metrics.DriftMonitor;
import com.orderintel.advisor.metrics.Outcome;
import com.orderintel.advisor.metrics.PredictionMetrics;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelHolder;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.advisor.web.ModelRef;
import com.orderintel.advisor.web.ModelUnavailableException;
import com.orderintel.advisor.web.RequestValidation;
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

    private final ModelHolder models;
    private final RequestValidation validation;
    private final PredictionMetrics metrics;
    private final DriftMonitor drift;
    private final PredictionLog predictions;

    public ForecastService(ModelHolder models, RequestValidation validation, PredictionMetrics metrics,
                           DriftMonitor drift, PredictionLog predictions) {
        this.models = models;
        this.validation = validation;
        this.metrics = metrics;
        this.drift = drift;
        this.predictions = predictions;
    }

    public ForecastResponse forecast(ForecastRequest request) {
        LoadedModel model = models.snapshot().get(ModelSlot.DEMAND).orElse(null);
        String name = model == null ? ModelSlot.DEMAND.conventionalName() : model.name();
        try {
            validation.check(request);
        } catch (InvalidInputException e) {
            metrics.count(name, Outcome.INVALID_INPUT, 1);
            throw e;
        }
        DemandForecaster forecaster = require(model);
        DemandQuery query = request.toQuery();
        checkProduct(forecaster, name, query.productId(), "product_id", 1);
        double predicted = forecaster.predict(query);
        drift.recordDemand(model, query);
        metrics.count(name, Outcome.OK, 1);
        return response(model, query, predicted);
    }

    public List<ForecastResponse> forecastBatch(List<ForecastRequest> items) {
        LoadedModel model = models.snapshot().get(ModelSlot.DEMAND).orElse(null);
        String name = model == null ? ModelSlot.DEMAND.conventionalName() : model.name();
        int records = items == null ? 0 : items.size();
        try {
            validation.checkBatch(items);
            for (int i = 0; i < items.size(); i++) {
                validation.check(items.get(i), "items[" + i + "].");
            }
        } catch (InvalidInputException e) {
            metrics.count(name, Outcome.INVALID_INPUT, Math.max(records, 1));
            throw e;
        }
        DemandForecaster forecaster = require(model);
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

    private DemandForecaster require(LoadedModel model) {
        if (model == null) {
            metrics.count(ModelSlot.DEMAND.conventionalName(), Outcome.UNAVAILABLE, 1);
            throw new ModelUnavailableException("demand-forecast");
        }
        return (DemandForecaster) model.model();
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
