package com.orderintel.advisor.web;

import org.springframework.http.HttpStatus;

/** The addressed resource (model, prediction) does not exist; 404 problem. */
public class NotFoundException extends ApiProblemException {
    public NotFoundException(String message) {
        super(HttpStatus.NOT_FOUND, "not-found", "Not found", message);
    }
}
