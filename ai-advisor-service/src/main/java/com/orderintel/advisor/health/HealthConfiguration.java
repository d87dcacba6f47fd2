package com.orderintel.advisor.health;

import org.springframework.boot.actuate.data.redis.RedisHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Health reports only what is switched on. Boot would add a contributor for every client on the class path (the
 * Redis, RabbitMQ and JDBC starters are always there), so a Redis or broker that nobody uses made
 * {@code /actuator/health} DOWN. application.yml turns Boot's Redis contributor off and ties the RabbitMQ one to
 * {@code advisor.events.enabled}; the database one exists only with a DataSource (only with spring.datasource.url).
 * Readiness = models loaded + the broker when events are on (group readiness includes "rabbit" when it exists).
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    /** Redis is used by the LLM embedding cache and by shared order claims; either one on = Redis in health.
     *  (The factory comes from Boot's Redis auto-configuration, always present: the starter is on the class path.) */
    @Bean("redisHealthIndicator")
    @ConditionalOnExpression("${advisor.llm.cache.enabled:false} or ${advisor.events.shared-claims:false}")
    HealthIndicator redisHealthIndicator(RedisConnectionFactory redis) {
        return new RedisHealthIndicator(redis);
    }
}
