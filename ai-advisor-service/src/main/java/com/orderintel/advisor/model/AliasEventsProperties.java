package com.orderintel.advisor.model;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the registry announces alias moves ({@code advisor.models.events.*}; docs/registry.md, "Lifecycle events and
 * webhooks"): {@code amqp-uri} ({@code REGISTRY_EVENTS_AMQP_URI}, e.g. {@code amqp://user:pass@rabbitmq:5672}; empty:
 * no subscription, the alias poll alone) and {@code exchange} ({@code REGISTRY_EVENTS_EXCHANGE}; empty:
 * {@code registry.lifecycle}). The broker may be another than the one carrying order events.
 */
@ConfigurationProperties("advisor.models.events")
public record AliasEventsProperties(String amqpUri, String exchange) {

    public boolean enabled() {
        return amqpUri != null && !amqpUri.isBlank();
    }
}
