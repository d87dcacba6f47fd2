package com.orderintel.advisor.web;

import org.springframework.http.HttpStatus;

/** No model of the needed kind is loaded (yet); 503 so callers and load balancers retry. */
public class ModelUnavailableException extends ApiProblemException {
    public ModelUnavailableException(String what) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "model-unavailable", "Model unavailable",
                "no " + what + " model is loaded; the service is not ready");
    }
}
