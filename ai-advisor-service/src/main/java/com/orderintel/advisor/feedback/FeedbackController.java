package com.orderintel.advisor.feedback;

import com.orderintel.advisor.web.AdvisorApi;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.advisor.web.RequestValidation;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
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

    FeedbackController(FeedbackStore store, RequestValidation validation, MeterRegistry registry) {
        this.store = store;
        this.validation = validation;
        this.registry = registry;
    }

    @PostMapping(path = "/api/v1/feedback", consumes = "application/json", produces = "application/json")
    @Operation(summary = "Report a true outcome: actual_label by prediction_id or order_id, actual_demand by prediction_id "
            + "or product_id + date; counts once; updates the rolling precision / recall / MAE")
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
