package com.orderintel.advisor.feedback;

import com.orderintel.advisor.web.ApiProblemException;
import org.springframework.http.HttpStatus;

/**
 * Feedback for a prediction made for an anonymous caller (public scoring): 422 problem. Such a scoring is not a
 * training row and takes no label, so a crafted re-scoring cannot attach the shop's label to crafted features.
 */
final class UntrustedPredictionException extends ApiProblemException {
    UntrustedPredictionException(String message) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, "untrusted-prediction", "Prediction from an untrusted source", message);
    }
}
