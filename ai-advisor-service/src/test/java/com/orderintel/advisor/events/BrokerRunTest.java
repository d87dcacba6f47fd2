package com.orderintel.advisor.events;

import org.junit.jupiter.api.TestInstance;
import org.springframework.test.annotation.DirtiesContext;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A Spring test of the app on names of its own on the real RabbitMQ ({@link TestTopology}): one test instance per
 * class, so its {@code @AfterAll} can stop the app's autowired listeners before {@link TestTopology#tearDown}
 * deletes the names, and the context is closed afterwards rather than cached with listeners on deleted queues.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
public @interface BrokerRunTest {
}
