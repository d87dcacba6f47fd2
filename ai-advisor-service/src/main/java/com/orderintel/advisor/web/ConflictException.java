package com.orderintel.advisor.web;

/** The request conflicts with the resource's state (e.g. feedback already given); 409 problem. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
