package com.orderintel.advisor.feedback;

import com.orderintel.advisor.web.ApiProblemException;
import org.springframework.http.HttpStatus;

/** The shared store did not answer: 503, so the caller retries; the message's first line only (no URL). */
final class StoreUnavailableException extends ApiProblemException {
    StoreUnavailableException(RuntimeException cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "feedback-store-unavailable", "Feedback store unavailable",
                "the feedback store is unavailable, retry later: "
                        + String.valueOf(cause.getMessage()).lines().findFirst().orElse("database error"), cause);
    }
}
