package com.orderintel.advisor.events;

/** Who handles an order id: a redelivered event whose id is claimed is skipped, so an order alerts once. */
interface OrderClaims {

    /** True when this consumer may handle the order now; false when it was handled or is being handled. */
    boolean tryClaim(String orderId);

    /** Gives up a claim whose processing did not complete, so a later redelivery is processed again. */
    void release(String orderId);
}
