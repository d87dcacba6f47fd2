package com.orderintel.registryserver.events;

import com.orderintel.registry.lifecycle.LifecycleEvents;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Defaults for where lifecycle events go and what the console shows about webhooks: nowhere and nothing, until a
 * publishing implementation (broker, webhooks) is configured as a bean of its own.
 */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LifecycleEvents lifecycleEvents() {
        return LifecycleEvents.none();
    }

    @Bean
    @ConditionalOnMissingBean
    WebhookStatusSource webhookStatusSource() {
        return WebhookStatusSource.none();
    }
}
