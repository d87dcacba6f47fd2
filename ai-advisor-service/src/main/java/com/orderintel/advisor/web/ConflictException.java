package com.orderintel.advisor.web;

import org.springframework.http.HttpStatus;

/** The request conflicts with the resource's state (e.g. feedback already given); 409 problem. */
public class ConflictException extends ApiProblemException {
    public ConflictException(String message) {
        super(HttpStatus.CONFLICT, "conflict", "Conflict", message);
    }
}
