package com.orderintel.advisor.serving;

import com.orderintel.advisor.web.InvalidInputException;

/** A forecast input names a product the demand model was not trained on: 400, counted as {@code unknown_product}. */
public class UnknownProductInputException extends InvalidInputException {
    public UnknownProductInputException(String field, String message) {
        super(field, message);
    }
}
