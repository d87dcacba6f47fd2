package com.orderintel.advisor.web;

/** No model of the needed kind is loaded (yet); becomes 503 so callers and load balancers retry. */
public class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String what) {
        super("no " + what + " model is loaded; the service is not ready");
    }
}
