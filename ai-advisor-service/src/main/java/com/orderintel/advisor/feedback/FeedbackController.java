package com.orderintel.advisor.feedback;

import com.orderintel.advisor.web.AdvisorApi;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.advisor.web.RequestValidation;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.orderintel.dataset.DataException;
import org.springframework.dao.DataAccessException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@AdvisorApi
@Tag(name = "feedback", description = "True outcomes of earlier predictions, for rolling accuracy metrics and retraining")
class FeedbackController {

    private final FeedbackStore store;
    private final RequestValidation validation;
    private final MeterRegistry registry;
    private final DemandCeiling demandCeiling;

    FeedbackController(FeedbackStore store, RequestValidation validation, MeterRegistry registry, DemandCeiling demandCeiling) {
        this.store = store;
        this.validation = validation;
        this.registry = registry;
        this.demandCeiling = demandCeiling;
    }

    @PostMapping(path = "/api/v1/feedback", consumes = "application/json", produces = "application/json")
    @Operation(summary = "Report a true outcome: actual_label by prediction_id or order_id, actual_demand by prediction_id "
            + "or product_id + date; counts once; updates the rolling precision / recall / MAE. Only for what a trusted "
            + "source scored (order events, batch runs, an authenticated caller): 404 for an order or product-day no "
            + "trusted source scored, 422 for a prediction made for an anonymous caller; actual_demand is bounded "
            + "(advisor.feedback.max-demand-factor x the model's training maximum, at most advisor.feedback.max-demand)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", examples = {
                    @ExampleObject(name = "anomaly label by prediction_id", value = """
                            {"prediction_id": "3f2b8c1e-6a0d-4d5e-9b7a-2c4f1e8d9a01", "actual_label": 1}
                            """),
                    @ExampleObject(name = "anomaly label by order_id", value = """
                            {"order_id": "ORD-1002", "actual_label": 0}
                            """),
                    @ExampleObject(name = "actual demand by product and date", value = """
                            {"product_id": "SKU-001", "date": "2024-08-15", "actual_demand": 37}
                            """)})))
    FeedbackResponse feedback(@RequestBody FeedbackRequest request) {
        validation.check(request);
        boolean label = request.actualLabel() != null;
        if (label == (request.actualDemand() != null)) {
            throw new InvalidInputException(label ? "actual_demand" : "actual_label",
                    "send exactly one of actual_label (an anomaly score) or actual_demand (a forecast)");
        }
        FeedbackStore.Recorded r;
        try {
            if (label) {
                if (request.predictionId() == null && request.orderId() == null) {
                    throw new InvalidInputException("prediction_id", "is required (or order_id) with actual_label");
                }
                r = store.label(request.predictionId(), request.orderId(), request.actualLabel() == 1.0);
            } else {
                if (request.predictionId() == null && (request.productId() == null || request.date() == null)) {
                    throw new InvalidInputException("prediction_id", "is required (or product_id and date) with actual_demand");
                }
                demandCeiling.check(request.actualDemand());
                r = store.actual(request.predictionId(), request.productId(), request.date(), request.actualDemand());
            }
            if (r.model() == null) {
                return new FeedbackResponse(r.predictionId(), null, null, null, null, null);
            }
            registry.counter("advisor.feedback", "model", r.model()).increment();
            FeedbackStore.Accuracy a = store instanceof JdbcFeedbackStore jdbc ? jdbc.refresh(r.model()) : store.accuracy(r.model());
            return label ? new FeedbackResponse(r.predictionId(), r.model(), r.version(), null, finiteOrNull(a.precision()),
                    finiteOrNull(a.recall()))
                    : new FeedbackResponse(r.predictionId(), r.model(), r.version(), finiteOrNull(a.mae()), null, null);
        } catch (DataAccessException | DataException e) {
            throw new StoreUnavailableException(e);
        }
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
