package com.orderintel.advisor.forecast;

import com.orderintel.advisor.model.ModelRef;
import com.orderintel.advisor.serving.Scored;
import com.orderintel.advisor.serving.ServingPipeline;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.serving.UnknownProductInputException;
import com.orderintel.advisor.web.RequestValidation;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.ForecastExplanation;
import com.orderintel.forecast.UnknownProductException;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Demand forecast requests (REST and Open Inference Protocol) in and out of the serving pipeline. */
@Service
public class ForecastService {

    private final ServingPipeline pipeline;
    private final RequestValidation validation;

    public ForecastService(ServingPipeline pipeline, RequestValidation validation) {
        this.pipeline = pipeline;
        this.validation = validation;
    }

    public ForecastResponse forecast(Source source, ForecastRequest request) {
        return forecast(source, request, false);
    }

    /** One forecast; with {@code explain}, the response carries each feature's contribution. */
    public ForecastResponse forecast(Source source, ForecastRequest request, boolean explain) {
        Scored<DemandQuery, Double> s = pipeline.forecast(source, request == null ? null : request.productId(), 1, model -> {
            validation.check(request);
            DemandQuery q = request.toQuery();
            checkProduct(model.model(), q.productId(), "product_id");
            return List.of(q);
        });
        return response(s, 0, explain ? pipeline.explainForecasts(s) : null);
    }

    public List<ForecastResponse> forecastBatch(Source source, List<ForecastRequest> items) {
        return forecastBatch(source, items, false);
    }

    /** Forecasts in request order; with {@code explain}, each carries each feature's contribution. */
    public List<ForecastResponse> forecastBatch(Source source, List<ForecastRequest> items, boolean explain) {
        String routingKey = items != null && items.size() == 1 && items.getFirst() != null ? items.getFirst().productId() : null;
        Scored<DemandQuery, Double> s = pipeline.forecast(source, routingKey, items == null ? 0 : items.size(), model -> {
            validation.checkBatch(items);
            List<DemandQuery> queries = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                validation.check(items.get(i), "items[" + i + "].");
                DemandQuery q = items.get(i).toQuery();
                checkProduct(model.model(), q.productId(), "items[" + i + "].product_id");
                queries.add(q);
            }
            return queries;
        });
        List<ForecastExplanation> explanations = explain ? pipeline.explainForecasts(s) : null;
        List<ForecastResponse> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            out.add(response(s, i, explanations));
        }
        return out;
    }

    private static void checkProduct(DemandForecaster model, String product, String field) {
        Set<String> known = model.products();
        if (!known.isEmpty() && !known.contains(product)) {
            throw new UnknownProductInputException(field, new UnknownProductException(product).getMessage());
        }
    }

    private static ForecastResponse response(Scored<DemandQuery, Double> s, int i, List<ForecastExplanation> explanations) {
        DemandQuery q = s.inputs().get(i);
        return new ForecastResponse(q.productId(), q.date(), s.results().get(i), ModelRef.of(s.model()), s.predictionIds().get(i),
                explanations == null ? null : explanations.get(i));
    }
}
