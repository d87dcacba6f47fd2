package com.orderintel.forecast;

/** The model was not trained on this product, so it refuses to guess. */
public class UnknownProductException extends IllegalArgumentException {
    private final String productId;

    public UnknownProductException(String productId) {
        super("unknown product_id '" + productId + "': the model was not trained on it");
        this.productId = productId;
    }

    public String productId() {
        return productId;
    }
}
