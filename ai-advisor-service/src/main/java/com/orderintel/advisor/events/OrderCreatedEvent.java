package com.orderintel.advisor.events;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * order-service's {@code order.created} payload ({@code id, productId, quantity, status}) plus optional metrics
 * some producers add. Read from the JSON body; the {@code __TypeId__} header (order-service's own class name)
 * is deliberately ignored, so their class need not exist here. {@code note} (alias {@code review}) is the customer's
 * optional text, absent in order-service's messages today; when present it is enriched in the capture path.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderCreatedEvent(
        String id,
        String productId,
        Integer quantity,
        String status,
        @JsonAlias("avg_processing_ms") Double avgProcessingMs,
        @JsonAlias("item_count") Double itemCount,
        @JsonAlias("payment_score") Double paymentScore,
        @JsonAlias("review") String note) {

    /** An event without a note, as order-service sends today. */
    public OrderCreatedEvent(String id, String productId, Integer quantity, String status, Double avgProcessingMs,
                             Double itemCount, Double paymentScore) {
        this(id, productId, quantity, status, avgProcessingMs, itemCount, paymentScore, null);
    }
}
