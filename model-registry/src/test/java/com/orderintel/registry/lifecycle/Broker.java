package com.orderintel.registry.lifecycle;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import java.net.ServerSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The machine's RabbitMQ (127.0.0.1:5672, guest) with an exchange name of the test's own. */
final class Broker {

    static final String URI = "amqp://guest:guest@127.0.0.1:5672";

    private Broker() {
    }

    /** Settings on a fresh, unique exchange (parallel test runs never share one). */
    static BrokerSettings fresh() {
        return new BrokerSettings(URI, "test.lifecycle." + UUID.randomUUID(), null);
    }

    /** A URI on a loopback port where nothing listens: the broker is away. */
    static String closedPortUri() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return "amqp://guest:guest@127.0.0.1:" + port;
    }

    static Connection connect() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(URI);
        return f.newConnection("lifecycle test");
    }

    /** Polls {@code queue} until {@code n} messages were taken or {@code millis} passed. */
    static List<GetResponse> take(Channel ch, String queue, int n, long millis) throws Exception {
        List<GetResponse> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        while (got.size() < n && System.currentTimeMillis() < deadline) {
            GetResponse r = ch.basicGet(queue, true);
            if (r == null) {
                Thread.sleep(20);
            } else {
                got.add(r);
            }
        }
        return got;
    }
}
