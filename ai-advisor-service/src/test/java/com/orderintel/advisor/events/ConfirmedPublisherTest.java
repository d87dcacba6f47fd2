package com.orderintel.advisor.events;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pipelined confirming publisher against the real RabbitMQ on 127.0.0.1:5672: names unique to the run,
 * deleted afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfirmedPublisherTest {

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String exchange = "it-confirms-" + suffix;
    private final String queue = "it-confirms-q-" + suffix;
    private final CachingConnectionFactory cf = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(cf);
    private ConfirmedPublisher publisher;

    @BeforeAll
    void declare() {
        admin.declareExchange(new DirectExchange(exchange, false, false));
        admin.declareQueue(new Queue(queue, false, false, false));
        admin.declareBinding(BindingBuilder.bind(new Queue(queue)).to(new DirectExchange(exchange)).with("bound"));
        publisher = new ConfirmedPublisher(cf, 2, Duration.ofSeconds(5));
    }

    @AfterAll
    void cleanUp() {
        publisher.destroy();
        admin.deleteQueue(queue);
        admin.deleteExchange(exchange);
        cf.destroy();
    }

    private static Message message(int i) {
        return MessageBuilder.withBody(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)).setHeader("n", i).build();
    }

    @Test
    void thousandsInFlightAreAllConfirmedAndDelivered() throws Exception {
        admin.purgeQueue(queue);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            futures.add(publisher.publish(exchange, "bound", message(i)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(publisher.inFlight()).isZero();
        assertThat(admin.getQueueInfo(queue).getMessageCount()).isEqualTo(3_000);
    }

    @Test
    void anUnroutableMessageFailsItsFutureOnly() throws Exception {
        CompletableFuture<Void> before = publisher.publish(exchange, "bound", message(1));
        CompletableFuture<Void> lost = publisher.publish(exchange, "nobody-bound-to-this", message(2));
        CompletableFuture<Void> after = publisher.publish(exchange, "bound", message(3));
        before.get(10, TimeUnit.SECONDS);
        after.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AlertPublisher.NotConfirmedException.class)
                .hasMessageContaining("unroutable").hasMessageContaining("nobody-bound-to-this");
    }

    @Test
    void aClosedChannelFailsInFlightMessagesAndTheNextPublishOpensANewOne() throws Exception {
        // Publishing to a missing exchange makes the broker close the channel (404): whatever was in flight on
        // that channel must fail rather than hang, and later publishes must work again.
        List<CompletableFuture<Void>> doomed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            doomed.add(publisher.publish("no-such-exchange-" + suffix, "x", message(i)));
        }
        for (CompletableFuture<Void> f : doomed) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(AlertPublisher.NotConfirmedException.class);
        }
        publisher.publish(exchange, "bound", message(9)).get(10, TimeUnit.SECONDS);
        assertThat(publisher.inFlight()).isZero();
    }

    @Test
    void aMessageTheBrokerNeverConfirmsFailsAfterTheConfirmTimeoutAndLeavesNothingBehind() throws Exception {
        // the real broker behind a relay that withholds what it sends: the message is taken, its confirm never arrives
        try (WithholdingProxy proxy = new WithholdingProxy("127.0.0.1", 5672)) {
            CachingConnectionFactory viaProxy = new CachingConnectionFactory("127.0.0.1", proxy.port());
            ConfirmedPublisher shortTimeout = new ConfirmedPublisher(viaProxy, 1, Duration.ofMillis(400));
            try {
                shortTimeout.publish(exchange, "bound", message(1)).get(10, TimeUnit.SECONDS);
                proxy.withhold();
                long start = System.nanoTime();
                CompletableFuture<Void> unconfirmed = shortTimeout.publish(exchange, "bound", message(2));
                assertThatThrownBy(() -> unconfirmed.get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(AlertPublisher.NotConfirmedException.class)
                        .hasMessage("no publisher confirm within PT0.4S");
                long waitedMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(waitedMillis).as("failed after the timeout, within 1.25 x it plus scheduling")
                        .isBetween(400L, 2_000L);
                assertThat(shortTimeout.inFlight()).as("the overdue entry is gone").isZero();
                proxy.release();
                // the late confirm of the failed message must not disturb the next one
                shortTimeout.publish(exchange, "bound", message(3)).get(10, TimeUnit.SECONDS);
                assertThat(shortTimeout.inFlight()).isZero();
            } finally {
                shortTimeout.destroy();
                viaProxy.destroy();
            }
        }
    }
}
