package com.orderintel.registryserver.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * {@code registry.webhooks[n]} and {@code registry.events}: where lifecycle events go (docs/registry.md, "Lifecycle
 * events and webhooks").
 *
 * @param webhooks each receiver: {@code url} and {@code secret} (REGISTRY_WEBHOOKS_0_URL, REGISTRY_WEBHOOKS_0_SECRET,
 *                 the secret from a Secret), optional {@code name} (default webhook-1, webhook-2, ...)
 * @param events   the broker: {@code amqp-uri} (REGISTRY_EVENTS_AMQP_URI; empty: no broker, webhooks hear only this
 *                 server's moves), {@code exchange} (REGISTRY_EVENTS_EXCHANGE), the durable queue feeding the webhooks
 *                 (shared by the server's replicas, so each event is delivered once) and the delivery bounds
 */
@ConfigurationProperties("registry")
public record WebhookProperties(List<Hook> webhooks, @DefaultValue Events events) {

    public WebhookProperties {
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }

    public record Hook(String name, URI url, String secret) { }

    public record Events(String amqpUri, String exchange,
                         @DefaultValue("registry-server.webhooks") String webhookQueue,
                         @DefaultValue("6") int maxAttempts,
                         @DefaultValue("1s") Duration initialBackoff,
                         @DefaultValue("60s") Duration maxBackoff,
                         @DefaultValue("10s") Duration requestTimeout,
                         @DefaultValue("10000") int queueCapacity) {

        public boolean broker() {
            return amqpUri != null && !amqpUri.isBlank();
        }
    }
}
