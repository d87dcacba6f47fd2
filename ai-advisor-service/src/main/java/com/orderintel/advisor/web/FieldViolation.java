package com.orderintel.advisor.web;

/** One invalid input field: its JSON path (e.g. {@code items[3].payment_score}) and what is wrong. */
public record FieldViolation(String field, String message) { }
