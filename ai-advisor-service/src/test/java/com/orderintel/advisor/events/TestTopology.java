package com.orderintel.advisor.events;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Exchange and queue names unique to one test run on the machine's RabbitMQ, so runs never share state:
 * order-service's exchange, the advisor's queue and dead-letter pair, and a queue of the test's own bound to
 * {@code order.monitoring} standing in for the alert consumer.
 */
public record TestTopology(String exchange, String queue, String deadLetterExchange, String deadLetterQueue, String alerts) {

    public static TestTopology unique(String kind) {
        String suffix = kind + "-" + UUID.randomUUID().toString().substring(0, 8);
        String queue = "ai-advisor.order-created." + suffix;
        return new TestTopology("order.exchange." + suffix, queue, "ai-advisor.dlx." + suffix, queue + ".dlq",
                "alerts." + suffix);
    }

    /** Declares order-service's exchange and the alerts queue; the service declares the rest itself. */
    public TestTopology declare(RabbitAdmin admin) {
        admin.declareExchange(new TopicExchange(exchange, true, false));
        admin.declareQueue(new Queue(alerts, true, false, false));
        admin.declareBinding(BindingBuilder.bind(new Queue(alerts)).to(new TopicExchange(exchange)).with("order.monitoring"));
        return this;
    }

    /** The service's {@code advisor.events.*} settings for these names. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("advisor.events.enabled", "true");
        p.put("advisor.events.exchange", exchange);
        p.put("advisor.events.queue", queue);
        p.put("advisor.events.dead-letter-exchange", deadLetterExchange);
        p.put("advisor.events.dead-letter-queue", deadLetterQueue);
        return p;
    }

    /** Removes everything; stop the service's listener first, or it would declare its queues again. */
    public void delete(RabbitAdmin admin) {
        admin.deleteQueue(queue);
        admin.deleteQueue(deadLetterQueue);
        admin.deleteQueue(alerts);
        admin.deleteExchange(exchange);
        admin.deleteExchange(deadLetterExchange);
    }

    /** A test's end: stops the service's listeners (so none declares its queue again), deletes these names, closes the test's connection. */
    public void tearDown(RabbitListenerEndpointRegistry listeners, RabbitAdmin admin, CachingConnectionFactory connections) {
        listeners.stop();
        delete(admin);
        connections.destroy();
    }
}
