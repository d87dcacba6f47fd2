package com.orderintel.advisor.support;

import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The app on a random port with RabbitMQ listeners and Vault off, one model load attempt, and the admin, read and
 * feedback tokens: the settings of {@link ServingTestBase} and of the tests that serve models of their own with them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "advisor.events.enabled=false",
        "spring.rabbitmq.listener.simple.auto-startup=false",
        "spring.cloud.vault.enabled=false",
        "advisor.models.load-attempts=1",
        Credentials.ADMIN_TOKEN_PROPERTY, Credentials.READ_TOKEN_PROPERTY, Credentials.FEEDBACK_TOKEN_PROPERTY})
public @interface ServingApp {
}
