package com.orderintel.advisor.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.advisor.serving.NoteCapture;
import com.orderintel.advisor.serving.ServingPipeline;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.StringRedisTemplate;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.annotation.RabbitListenerConfigurer;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
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
        QueueBuilder queue = QueueBuilder.durable(p.queue())
                .deadLetterExchange(p.deadLetterExchange())
                .deadLetterRoutingKey(p.deadLetterQueue());
        QueueBuilder dlq = QueueBuilder.durable(p.deadLetterQueue());
        if (EventsProperties.QUORUM.equals(p.queueType())) {
            // replicated (Raft) on a cluster; a rejected event reaches the dead-letter queue even if a node fails on
            // the way (at-least-once dead-lettering, which RabbitMQ allows only with overflow reject-publish)
            queue.quorum().withArgument("x-dead-letter-strategy", "at-least-once").overflow(QueueBuilder.Overflow.rejectPublish);
            dlq.quorum();
        }
        Queue q = queue.build();
        Queue d = dlq.build();
        Binding binding = BindingBuilder.bind(q).to(orders).with(p.routingKey());
        Binding dlqBinding = BindingBuilder.bind(d).to(dlx).with(p.deadLetterQueue());
        return new Declarables(orders, dlx, q, d, binding, dlqBinding);
    }

    /**
     * Before the consumers start: an existing queue of the same name declared differently (a classic queue where a
     * quorum one is configured) is refused with a message that says what to do, instead of a consumer that retries
     * forever. A broker that is away is not an error here: the container keeps retrying.
     */
    @Bean
    SmartInitializingSingleton orderQueueTypeCheck(ConnectionFactory connectionFactory, EventsProperties p) {
        return () -> QueueTypeCheck.verify(connectionFactory, p);
    }

    /**
     * The consumer: our listener on the direct container (the listener runs on the client's delivery thread, no
     * hand-off), registered as endpoint {@code order-events} so the registry starts and stops it like any listener.
     */
    @Bean
    RabbitListenerConfigurer orderEventsEndpoint(OrderEventListener listener, EventsProperties p,
                                                 DirectRabbitListenerContainerFactory orderEventsContainerFactory) {
        return registrar -> {
            SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
            endpoint.setId("order-events");
            endpoint.setQueueNames(p.queue());
            endpoint.setMessageListener(listener);
            registrar.registerEndpoint(endpoint, orderEventsContainerFactory);
        };
    }

    @Bean
    DirectRabbitListenerContainerFactory orderEventsContainerFactory(ConnectionFactory connectionFactory, EventsProperties p) {
        DirectRabbitListenerContainerFactory f = new DirectRabbitListenerContainerFactory();
        f.setConnectionFactory(connectionFactory);
        // MANUAL: the listener acks (in bulk) once an event's alert is confirmed, rejects without requeue if it fails
        f.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        // The direct container runs the listener on the client's delivery thread: no hand-off queue per message.
        f.setConsumersPerQueue(p.concurrency());
        f.setPrefetchCount(p.prefetch());
        f.setDefaultRequeueRejected(false);       // never an endless redelivery loop
        f.setMissingQueuesFatal(false);           // keep retrying while the broker is away
        f.setMonitorInterval(2000L);              // reconnect within ~2 s after a broker restart
        f.setAutoStartup(true);
        return f;
    }

    @Bean
    ConfirmedPublisher confirmedPublisher(ConnectionFactory connectionFactory, EventsProperties p) {
        return new ConfirmedPublisher(connectionFactory, p.publisherChannels(), p.confirmTimeout());
    }

    @Bean
    AlertPublisher alertPublisher(ConfirmedPublisher publisher, EventsProperties p, ObjectMapper json) {
        return new AlertPublisher(publisher, p, json);
    }

    @Bean
    EventMetrics eventMetrics(MeterRegistry registry, AmqpAdmin admin, EventsProperties p, ConfirmedPublisher publisher) {
        EventMetrics metrics = new EventMetrics(registry, admin, p.queue());
        io.micrometer.core.instrument.Gauge.builder("advisor.alerts.unconfirmed", publisher, ConfirmedPublisher::inFlight)
                .description("alerts and dead letters published and not yet confirmed by the broker").register(registry);
        return metrics;
    }

    /**
     * Drains in-flight events on shutdown. A ContextClosedEvent listener runs before any lifecycle bean stops,
     * i.e. while the listener container's channels (needed for the acks) are still open.
     */
    @Bean
    ApplicationListener<ContextClosedEvent> orderEventsDrain(OrderEventListener listener, EventsProperties p,
                                                             ApplicationContext context) {
        return event -> {
            if (event.getApplicationContext() != context) {
                return; // a child context (e.g. a separate management port) closing
            }
            int left = listener.drain(p.confirmTimeout().multipliedBy(2));
            if (left > 0) {
                LoggerFactory.getLogger(EventsConfiguration.class)
                        .warn("shutdown: {} order events still in flight after the drain timeout; the broker will redeliver them", left);
            }
        };
    }

    @Bean
    OrderEventListener orderEventListener(ServingPipeline pipeline, AlertPublisher publisher, EventMetrics metrics,
                                          EventsProperties p, ObjectMapper json, OrderClaims claims, NoteCapture notes) {
        return new OrderEventListener(new OrderScorer(pipeline), publisher, metrics, claims, p, json, notes);
    }

    /** Claims shared by every replica through Redis when {@code advisor.events.shared-claims}, else this replica's. */
    @Bean
    OrderClaims orderClaims(EventsProperties p, ObjectProvider<StringRedisTemplate> redis, MeterRegistry registry) {
        ProcessedOrders local = new ProcessedOrders(p.dedupCapacity(), p.dedupTtl(), Clock.systemUTC());
        StringRedisTemplate template = redis.getIfAvailable();
        if (!p.sharedClaims() || template == null) {
            return local;
        }
        return new RedisOrderClaims(template, local, p.claimKeyPrefix(), p.dedupTtl(), p.claimPendingTtl(), registry);
    }
}
