package com.orderintel.advisor.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.model.ModelHolder;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * RabbitMQ topology and consumer for order events, on only when {@code advisor.events.enabled=true}:
 * our durable queue bound to order-service's topic exchange, a dead-letter exchange and queue, and a
 * listener container with manual acknowledgements (an event is acked only once its alert is confirmed).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "advisor.events.enabled", havingValue = "true")
@EnableConfigurationProperties(EventsProperties.class)
public class EventsConfiguration {

    @Bean
    Declarables orderEventTopology(EventsProperties p) {
        TopicExchange orders = new TopicExchange(p.exchange(), true, false);
        DirectExchange dlx = new DirectExchange(p.deadLetterExchange(), true, false);
        Queue queue = QueueBuilder.durable(p.queue())
                .deadLetterExchange(p.deadLetterExchange())
                .deadLetterRoutingKey(p.deadLetterQueue())
                .build();
        Queue dlq = QueueBuilder.durable(p.deadLetterQueue()).build();
        Binding binding = BindingBuilder.bind(queue).to(orders).with(p.routingKey());
        Binding dlqBinding = BindingBuilder.bind(dlq).to(dlx).with(p.deadLetterQueue());
        return new Declarables(orders, dlx, queue, dlq, binding, dlqBinding);
    }

    @Bean
    SimpleRabbitListenerContainerFactory orderEventsContainerFactory(ConnectionFactory connectionFactory, EventsProperties p) {
        SimpleRabbitListenerContainerFactory f = new SimpleRabbitListenerContainerFactory();
        f.setConnectionFactory(connectionFactory);
        // MANUAL + a CompletableFuture return: the container acks when the future completes (after the broker
        // confirmed the alert) and rejects without requeue if it fails.
        f.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        f.setConcurrentConsumers(p.concurrency());
        f.setMaxConcurrentConsumers(p.maxConcurrency());
        f.setPrefetchCount(p.prefetch());
        f.setDefaultRequeueRejected(false);       // never an endless redelivery loop
        f.setMissingQueuesFatal(false);           // keep retrying while the broker is away
        f.setRecoveryInterval(2000L);             // reconnect every 2 s after a broker restart
        f.setAutoStartup(true);
        return f;
    }

    @Bean
    AlertPublisher alertPublisher(RabbitTemplate template, EventsProperties p, ObjectMapper json) {
        return new AlertPublisher(template, p, json);
    }

    @Bean
    EventMetrics eventMetrics(MeterRegistry registry, AmqpAdmin admin, EventsProperties p) {
        return new EventMetrics(registry, admin, p.queue());
    }

    @Bean
    OrderEventListener orderEventListener(ModelHolder models, AlertPublisher publisher, EventMetrics metrics,
                                          EventsProperties p, ObjectMapper json) {
        return new OrderEventListener(new OrderScorer(models), publisher, metrics,
                new ProcessedOrders(p.dedupCapacity(), p.dedupTtl(), Clock.systemUTC()), p, json);
    }
}
