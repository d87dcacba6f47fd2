package com.orderintel.advisor.forecast;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelRef;
import com.orderintel.advisor.serving.Scored;
import com.orderintel.advisor.serving.ServingPipeline;
import com.orderintel.advisor.serving.ServingTask;
import com.orderintel.advisor.serving.TaskService;
import com.orderintel.advisor.serving.UnknownProductInputException;
import com.orderintel.advisor.web.RequestValidation;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.ForecastExplanation;
import com.orderintel.forecast.UnknownProductException;
import org.springframework.stereotype.Service;

import java.util.Set;

/** Demand forecast requests (REST and Open Inference Protocol) in and out of the serving pipeline. */
@Service
public class ForecastService
        extends TaskService<DemandForecaster, ForecastRequest, DemandQuery, Double, ForecastExplanation, ForecastResponse> {

    public ForecastService(ServingPipeline pipeline, RequestValidation validation) {
        super(ServingTask.DEMAND, pipeline, validation);
    }

    @Override
    protected String routingKey(ForecastRequest request) {
        return request.productId();
    }

    /** The request's query; a product the model was not trained on is a 400 (counted as unknown_product). */
    @Override
    protected DemandQuery input(LoadedModel<DemandForecaster> model, ForecastRequest request, String prefix) {
        DemandQuery q = request.toQuery();
        Set<String> known = model.model().products();
        if (!known.isEmpty() && !known.contains(q.productId())) {
            throw new UnknownProductInputException(prefix + "product_id", new UnknownProductException(q.productId()).getMessage());
        }
        return q;
    }

    @Override
    protected ForecastResponse response(Scored<DemandQuery, Double> s, int i, ForecastExplanation explanation) {
        DemandQuery q = s.inputs().get(i);
        return new ForecastResponse(q.productId(), q.date(), s.results().get(i), ModelRef.of(s.model()), s.predictionIds().get(i),
                explanation);
    }
}
