package com.orderintel.registry.lifecycle;

import com.orderintel.registry.ModelUri;
import com.rabbitmq.client.ConnectionFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where lifecycle events go over AMQP: the broker's URI ({@code amqp://user:pass@host:5672/vhost}, {@code amqps://}
 * for TLS), the topic exchange (default {@link LifecycleEvent#EXCHANGE}; tests use their own) and the bounds that keep
 * a broker that is away from slowing a move: connecting and waiting for a confirm each take at most
 * {@code timeout}. From the environment: {@code REGISTRY_EVENTS_AMQP_URI} (unset or blank: no events) and
 * {@code REGISTRY_EVENTS_EXCHANGE}.
 */
public record BrokerSettings(String uri, String exchange, Duration timeout) {

    public static final String URI_ENV = "REGISTRY_EVENTS_AMQP_URI";
    public static final String EXCHANGE_ENV = "REGISTRY_EVENTS_EXCHANGE";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public BrokerSettings {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("lifecycle events: the broker URI is empty (" + URI_ENV + ")");
        }
        uri = uri.strip();
        if (!uri.startsWith("amqp://") && !uri.startsWith("amqps://")) {
            throw new IllegalArgumentException("lifecycle events: broker URI " + ModelUri.redact(uri)
                    + " must start with amqp:// or amqps://");
        }
        exchange = exchange == null || exchange.isBlank() ? LifecycleEvent.EXCHANGE : exchange.strip();
        timeout = timeout == null || timeout.isNegative() || timeout.isZero() ? DEFAULT_TIMEOUT : timeout;
        connectionFactory(uri, timeout); // refuse a malformed URI here, with its (redacted) reason
    }

    public BrokerSettings(String uri) {
        this(uri, null, null);
    }

    /** From {@code REGISTRY_EVENTS_AMQP_URI} / {@code REGISTRY_EVENTS_EXCHANGE}; empty when no broker is configured. */
    public static Optional<BrokerSettings> fromEnvironment(Map<String, String> env) {
        String uri = env.get(URI_ENV);
        return uri == null || uri.isBlank() ? Optional.empty()
                : Optional.of(new BrokerSettings(uri, env.get(EXCHANGE_ENV), null));
    }

    /** The broker's URI with its credentials masked: for logs. */
    public String redactedUri() {
        return ModelUri.redact(uri);
    }

    /**
     * A client factory with the bounded timeouts and automatic recovery (connection, channels, the queues and
     * bindings declared on them, consumers), so a subscriber comes back by itself after the broker does.
     */
    public ConnectionFactory connectionFactory() {
        return connectionFactory(uri, timeout);
    }

    private static ConnectionFactory connectionFactory(String uri, Duration timeout) {
        ConnectionFactory f = new ConnectionFactory();
        try {
            f.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException("lifecycle events: broker URI " + ModelUri.redact(uri) + " is not valid: "
                    + ModelUri.redact(e.getMessage()));
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        f.setConnectionTimeout(millis);
        f.setHandshakeTimeout(millis);
        f.setShutdownTimeout(millis);
        f.setChannelRpcTimeout(Math.max(millis, 1000));
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(1000);
        f.setRequestedHeartbeat(15);
        return f;
    }
}
