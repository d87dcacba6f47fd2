package com.orderintel.advisor.feedback;

import com.orderintel.advisor.web.AdvisorApi;
import com.orderintel.advisor.web.ConflictException;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.advisor.web.NotFoundException;
import com.orderintel.advisor.web.RequestValidation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@AdvisorApi
@Tag(name = "feedback", description = "True outcomes of earlier predictions, for rolling accuracy metrics")
class FeedbackController {

    private final PredictionLog predictions;
    private final AccuracyTracker accuracy;
    private final RequestValidation validation;

    FeedbackController(PredictionLog predictions, AccuracyTracker accuracy, RequestValidation validation) {
        this.predictions = predictions;
        this.accuracy = accuracy;
        this.validation = validation;
    }

    @PostMapping(path = "/api/v1/feedback", consumes = "application/json", produces = "application/json")
    @Operation(summary = "Report the true outcome of a prediction (by prediction_id); updates rolling MAE / precision")
    FeedbackResponse feedback(@RequestBody FeedbackRequest request) {
        validation.check(request);
        PredictionLog.Prediction p = predictions.find(request.predictionId());
        if (p == null) {
            throw new NotFoundException("prediction_id '" + request.predictionId() + "' is unknown to this instance "
                    + "or older than the last advisor.feedback.capacity predictions");
        }
        Double rollingMae = null;
        Double rollingPrecision = null;
        switch (p.kind()) {
            case DEMAND -> {
                if (request.actualDemand() == null) {
                    throw new InvalidInputException("actual_demand", "is required for a demand forecast");
                }
                claim(p);
                rollingMae = finiteOrNull(accuracy.demand(p.model(), p.value(), request.actualDemand()));
            }
            case ANOMALY -> {
                if (request.actualLabel() == null) {
                    throw new InvalidInputException("actual_label", "is required for an anomaly score (0 or 1)");
                }
                claim(p);
                rollingPrecision = finiteOrNull(accuracy.anomaly(p.model(), p.anomalous(), request.actualLabel() == 1.0));
            }
        }
        return new FeedbackResponse(request.predictionId(), p.model(), p.version(), rollingMae, rollingPrecision);
    }

    private void claim(PredictionLog.Prediction p) {
        if (!predictions.claimFeedback(p)) {
            throw new ConflictException("feedback for this prediction_id was already received; it counts once");
        }
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
