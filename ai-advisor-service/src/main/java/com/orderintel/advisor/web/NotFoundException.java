package com.orderintel.advisor.web;

/** The addressed resource (model, prediction) does not exist; 404 problem. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
