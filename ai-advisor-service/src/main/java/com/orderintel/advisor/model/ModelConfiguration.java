package com.orderintel.advisor.model;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ModelProperties.class)
class ModelConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Replaces Boot's readiness indicator (same bean name) with the model-gated one. */
    @Bean(name = "readinessStateHealthIndicator")
    ModelReadinessIndicator readinessStateHealthIndicator(ApplicationAvailability availability, ServedModels holder) {
        return new ModelReadinessIndicator(availability, holder);
    }
}
