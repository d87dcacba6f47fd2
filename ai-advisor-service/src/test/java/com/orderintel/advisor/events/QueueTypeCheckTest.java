package com.orderintel.advisor.events;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.support.GenericApplicationContext;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service's queues on the real RabbitMQ: declared as quorum queues (dead letters at-least-once, overflow
 * reject-publish), and a classic queue left under the same name by an earlier release refused at start-up with a
 * message that says what to do, instead of a consumer that retries forever.
 */
class QueueTypeCheckTest {

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final CachingConnectionFactory cf = new CachingConnectionFactory("127.0.0.1", 5672);
    private GenericApplicationContext context;

    private EventsProperties properties(String queueType) {
        return new EventsProperties(true, "order.exchange.qt-" + suffix, null, "ai-advisor.order-created.qt-" + suffix,
                "ai-advisor.dlx.qt-" + suffix, null, null, 0, 0, 0, null, null, 0, 0, null, false, null, null, 0,
                queueType, 0, null);
    }

    /** What the app context does: the admin declares the topology bean on every new connection. */
    private void start(EventsProperties p) {
        context = new GenericApplicationContext();
        context.registerBean(CachingConnectionFactory.class, () -> cf);
        context.registerBean(Declarables.class, () -> new EventsConfiguration().orderEventTopology(p));
        context.registerBean(RabbitAdmin.class, () -> new RabbitAdmin(cf));
        context.refresh();
    }

    /** A connection of the test's own, apart from the factory under test (which would cache it). */
    private static com.rabbitmq.client.Connection raw() throws Exception {
        com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
        f.setHost("127.0.0.1");
        return f.newConnection("queue-type-check-test");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (com.rabbitmq.client.Connection c = raw(); Channel ch = c.createChannel()) {
            EventsProperties p = properties(EventsProperties.QUORUM);
            ch.queueDelete(p.queue());
            ch.queueDelete(p.deadLetterQueue());
            ch.exchangeDelete(p.exchange());
            ch.exchangeDelete(p.deadLetterExchange());
        }
        if (context != null) {
            context.close();
        }
        cf.destroy();
    }

    @Test
    void freshQueuesAreQuorumQueuesWithAtLeastOnceDeadLettering() throws Exception {
        EventsProperties p = properties(EventsProperties.QUORUM);
        start(p);
        QueueTypeCheck.verify(cf, p);
        try (com.rabbitmq.client.Connection c = raw(); Channel ch = c.createChannel()) {
            // the broker accepts the same declaration again, and refuses it as a classic queue: it is a quorum queue
            Map<String, Object> quorum = Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", p.deadLetterExchange(),
                    "x-dead-letter-routing-key", p.deadLetterQueue(), "x-dead-letter-strategy", "at-least-once",
                    "x-overflow", "reject-publish");
            assertThat(ch.queueDeclare(p.queue(), true, false, false, quorum).getQueue()).isEqualTo(p.queue());
            assertThat(ch.queueDeclare(p.deadLetterQueue(), true, false, false, Map.of("x-queue-type", "quorum")).getQueue())
                    .isEqualTo(p.deadLetterQueue());
        }
    }

    @Test
    void anExistingClassicQueueOfTheSameNameStopsTheStartWithWhatToDo() throws Exception {
        EventsProperties p = properties(EventsProperties.QUORUM);
        try (com.rabbitmq.client.Connection c = raw(); Channel ch = c.createChannel()) {
            ch.queueDeclare(p.queue(), true, false, false, null); // an earlier release's classic queue
        }
        start(p);
        assertThatThrownBy(() -> QueueTypeCheck.verify(cf, p))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quorum queue '" + p.queue() + "'")
                .hasMessageContaining("PRECONDITION_FAILED - inequivalent arg")
                .hasMessageContaining("drain it and delete it")
                .hasMessageContaining("advisor.events.queue-type=classic");
    }

    @Test
    void aBrokerThatIsAwayIsLeftToTheConsumersRetries() {
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
        try {
            QueueTypeCheck.verify(nowhere, properties(EventsProperties.QUORUM)); // no exception: the container retries
        } finally {
            nowhere.destroy();
        }
        assertThat(QueueTypeCheck.refusal(new RuntimeException("Connection refused"))).isNull();
    }
}
