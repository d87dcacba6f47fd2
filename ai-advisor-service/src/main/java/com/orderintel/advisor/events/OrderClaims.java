package com.orderintel.advisor.events;

/** Who handles an order id: a redelivered event whose id is claimed is skipped, so an order alerts once. */
interface OrderClaims {

    /** What a consumer may do with an order id now. */
    enum Claim {
        /** Ours: handle it, then {@link #complete} or {@link #release} the claim. */
        WON,
        /** Handled already (or being handled by this replica): ack the copy without a second alert. */
        HANDLED,
        /**
         * Claimed by another consumer that has not finished, possibly one that died holding it (SIGKILL): this copy
         * must not be acked unhandled; look again once that claim is completed or has expired.
         */
        HELD_ELSEWHERE
    }

    Claim claim(String orderId);

    /** The order was handled (its alert confirmed, or nothing to alert): later copies are duplicates. */
    default void complete(String orderId) {
    }

    /** Gives up a claim whose processing did not complete, so a later redelivery is processed again. */
    void release(String orderId);
}
