package com.orderintel.registryserver.webhook;

import com.orderintel.registry.lifecycle.AmqpLifecycleEvents;
import com.orderintel.registry.lifecycle.BrokerSettings;
import com.orderintel.registry.lifecycle.LifecycleEvent;
import com.orderintel.registry.lifecycle.LifecycleEvents;
import com.orderintel.registry.lifecycle.LifecycleSubscriber;
import com.orderintel.registry.lifecycle.Webhook;
import com.orderintel.registry.lifecycle.WebhookDispatcher;
import com.orderintel.registryserver.events.WebhookStatusSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import java.util.ArrayList;
import java.util.List;

/**
 * Lifecycle events out of the server, from the registry library's pieces (com.orderintel.registry.lifecycle):
 * <ul>
 *   <li>with {@code registry.events.amqp-uri}: the {@link LifecycleEvents} every move here goes to is the AMQP
 *   publisher (confirmed, never failing a move), whose fallback is the webhook dispatcher (an event the broker did not
 *   confirm still reaches webhooks);</li>
 *   <li>with {@code registry.webhooks[0].url}: the {@link WebhookDispatcher} (signed POSTs, retries, bounded queue), its
 *   per-webhook status for the console ({@link WebhookStatusSource}) and {@code registry_webhook_deliveries_total
 *   {webhook,outcome="delivered"|"retried"|"failed"}};</li>
 *   <li>with both: a subscriber on the server's durable queue (bound {@code #}) feeds the dispatcher, so every event
 *   on the exchange, the CLI's moves straight on the store included, reaches each webhook once;</li>
 *   <li>webhooks without a broker: the dispatcher itself receives this server's moves.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

    static final String WEBHOOKS = "registry.webhooks[0].url";
    static final String BROKER = "'${registry.events.amqp-uri:}' != ''";

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(WEBHOOKS)
    WebhookDispatcher webhookDispatcher(WebhookProperties p, MeterRegistry meters) {
        List<Webhook> hooks = new ArrayList<>();
        for (int i = 0; i < p.webhooks().size(); i++) {
            WebhookProperties.Hook h = p.webhooks().get(i);
            String name = h.name() == null || h.name().isBlank() ? "webhook-" + (i + 1) : h.name();
            hooks.add(new Webhook(name, h.url(), h.secret()));
        }
        WebhookProperties.Events e = p.events();
        WebhookDispatcher.Settings settings = new WebhookDispatcher.Settings(e.maxAttempts(), e.initialBackoff(),
                e.maxBackoff(), e.requestTimeout(), e.queueCapacity(), 2);
        return new WebhookDispatcher(hooks, settings, new DeliveryCounters(meters));
    }

    @Bean
    @ConditionalOnProperty(WEBHOOKS)
    WebhookStatusSource webhookStatuses(WebhookDispatcher dispatcher) {
        return () -> dispatcher.statuses().stream()
                .map(s -> new WebhookStatusSource.WebhookStatus(s.name() + " " + s.url(), s.delivered(), s.failed(),
                        s.waiting(), s.lastFailure(), s.failing() ? s.lastError() : null))
                .toList();
    }

    @Bean(destroyMethod = "close")
    @Primary
    @ConditionalOnExpression(BROKER)
    AmqpLifecycleEvents amqpLifecycleEvents(WebhookProperties p, ObjectProvider<WebhookDispatcher> dispatcher) {
        WebhookDispatcher fallback = dispatcher.getIfAvailable();
        return new AmqpLifecycleEvents(broker(p), fallback != null ? fallback : LifecycleEvents.none());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnExpression(BROKER + " and '${" + WEBHOOKS + ":}' != ''")
    LifecycleSubscriber webhookFeed(WebhookProperties p, WebhookDispatcher dispatcher) {
        return new LifecycleSubscriber(broker(p), LifecycleSubscriber.QueueSpec.durable(p.events().webhookQueue()),
                List.of("#"), dispatcher::publish, () -> { });
    }

    private static BrokerSettings broker(WebhookProperties p) {
        return new BrokerSettings(p.events().amqpUri(), p.events().exchange(), null);
    }

    /** Each final outcome and each retry as {@code registry_webhook_deliveries_total{webhook,outcome}}. */
    static final class DeliveryCounters implements WebhookDispatcher.Listener {
        private final MeterRegistry meters;

        DeliveryCounters(MeterRegistry meters) {
            this.meters = meters;
        }

        private void count(Webhook webhook, String outcome) {
            Counter.builder("registry.webhook.deliveries").tag("webhook", webhook.name()).tag("outcome", outcome)
                    .description("lifecycle events to webhooks: delivered, retried (one per retry), failed (gave up, refused or dropped)")
                    .register(meters).increment();
        }

        @Override
        public void delivered(Webhook webhook, LifecycleEvent event, int attempts) {
            count(webhook, "delivered");
        }

        @Override
        public void failed(Webhook webhook, LifecycleEvent event, int attempts, String error) {
            count(webhook, "failed");
        }

        @Override
        public void retried(Webhook webhook, LifecycleEvent event, int attempt, String error) {
            count(webhook, "retried");
        }
    }
}
