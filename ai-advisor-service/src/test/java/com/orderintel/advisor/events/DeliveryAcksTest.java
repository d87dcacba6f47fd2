package com.orderintel.advisor.events;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk acks on the real RabbitMQ: a delivery not finished holds back every ack after it on its channel (the broker
 * gives all of them back when the channel closes), a finished run is acked with one multiple=true, and a failed
 * delivery is rejected to the dead-letter queue, never swept up by a later bulk ack.
 */
class DeliveryAcksTest {

    private final String queue = "acks-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final String dlq = queue + ".dlq";
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private Connection connection;
    private Channel admin;

    @BeforeEach
    void declare() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        connection = f.newConnection("delivery-acks-test");
        admin = connection.createChannel();
        admin.queueDeclare(dlq, false, false, false, null);
        admin.queueDeclare(queue, false, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
        for (int i = 1; i <= 10; i++) {
            admin.basicPublish("", queue, null, ("m" + i).getBytes());
        }
    }

    @AfterEach
    void delete() throws Exception {
        admin.queueDelete(queue);
        admin.queueDelete(dlq);
        connection.close();
        timer.shutdownNow();
    }

    /** Takes the ten messages on a channel of its own; returns their delivery tags in order. */
    private List<Long> take(Channel channel) throws Exception {
        List<Long> tags = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            GetResponse r = channel.basicGet(queue, false);
            tags.add(r.getEnvelope().getDeliveryTag());
        }
        return tags;
    }

    private long depth(String q) throws Exception {
        return admin.queueDeclarePassive(q).getMessageCount();
    }

    @Test
    void anUnfinishedDeliveryHoldsBackEveryAckAfterIt() throws Exception {
        Channel consumer = connection.createChannel();
        DeliveryAcks acks = new DeliveryAcks(consumer, 3, 1_000, timer);
        List<Long> tags = take(consumer);
        tags.forEach(acks::delivered);
        for (long tag : tags.subList(1, 10)) {
            acks.finished(tag, true); // all but the first
        }
        acks.flush();
        assertThat(acks.pending()).isEqualTo(1);
        consumer.close(); // the broker gives back whatever was not acked
        assertThat(depth(queue)).as("nothing acked past the unfinished first delivery").isEqualTo(10);
    }

    @Test
    void aFinishedRunIsAckedAndAFailureIsDeadLetteredNotSweptUp() throws Exception {
        Channel consumer = connection.createChannel();
        DeliveryAcks acks = new DeliveryAcks(consumer, 100, 1_000, timer);
        List<Long> tags = take(consumer);
        tags.forEach(acks::delivered);
        for (int i = 9; i >= 0; i--) { // completion order differs from delivery order (confirms come back later)
            acks.finished(tags.get(i), i != 4);
        }
        Thread.sleep(50); // under the batch: the linger sends the bulk ack
        assertThat(acks.pending()).isZero();
        consumer.close();
        assertThat(depth(queue)).as("all acked or rejected").isZero();
        assertThat(depth(dlq)).as("the failed one dead-lettered").isEqualTo(1);
        assertThat(new String(admin.basicGet(dlq, true).getBody())).isEqualTo("m5");
    }
}
