package com.shop.orderservice.dto;

/**
 * Stand-in for order-service's own event class: a different package and class than the advisor's, so the
 * {@code __TypeId__} header written by Jackson2JsonMessageConverter names a class the advisor does not have.
 */
public class OrderCreatedEvent {
    private String id;
    private String productId;
    private int quantity;
    private String status;

    public OrderCreatedEvent() {
    }

    public OrderCreatedEvent(String id, String productId, int quantity, String status) {
        this.id = id;
        this.productId = productId;
        this.quantity = quantity;
        this.status = status;
    }

    public String getId() {
        return id;
    }

    public String getProductId() {
        return productId;
    }

    public int getQuantity() {
        return quantity;
    }

    public String getStatus() {
        return status;
    }
}
