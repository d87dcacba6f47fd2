package com.orderintel.runner;

import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import com.orderintel.registry.AliasMove;
import com.orderintel.registry.lifecycle.AmqpLifecycleEvents;
import com.orderintel.registry.lifecycle.AnnouncingModelStore;
import com.orderintel.registry.lifecycle.BrokerSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --registry} option shared by the registry commands (defaults to ./local-registry) and where their
 * lifecycle events go: with {@code --events-amqp-uri} (or {@code $REGISTRY_EVENTS_AMQP_URI}) every publish, promote
 * and rollback is also published to the broker's {@code registry.lifecycle} exchange, so replicas and webhooks hear
 * of it at once; a broker that is away costs at most a short timeout and a warning, never the move.
 */
final class RegistryOption {

    @Option(names = "--registry", description = "Registry location: file:///path or s3://bucket/prefix "
            + "(default: ./local-registry, or $MODEL_REGISTRY).")
    String registry;

    @Option(names = "--events-amqp-uri", description = "Publish lifecycle events to this RabbitMQ broker, e.g. "
            + "amqp://user:pass@host:5672 (default: $" + BrokerSettings.URI_ENV + "; unset: no events).")
    String eventsUri;

    @Option(names = "--events-exchange", description = "The topic exchange of lifecycle events (default: $"
            + BrokerSettings.EXCHANGE_ENV + ", else registry.lifecycle).")
    String eventsExchange;

    /** Who moves an alias, for the registry's alias log: user@host (or the CI run) via this command. */
    static String actor(CommandSpec spec) {
        return AliasMove.currentActor(spec.qualifiedName());
    }

    ModelStore open() {
        String location = registry;
        if (location == null || location.isBlank()) {
            location = System.getenv("MODEL_REGISTRY");
        }
        if (location == null || location.isBlank()) {
            location = Path.of("local-registry").toAbsolutePath().toUri().toString();
        }
        String events = eventsUri != null ? eventsUri : System.getenv(BrokerSettings.URI_ENV);
        if (events == null || events.isBlank()) {
            return open(location);
        }
        // checked before the store is opened: a malformed URI is a usage error (exit 2), not a leaked client
        BrokerSettings settings = new BrokerSettings(events,
                eventsExchange != null ? eventsExchange : System.getenv(BrokerSettings.EXCHANGE_ENV), null);
        return new AnnouncingModelStore(open(location), new AmqpLifecycleEvents(settings));
    }

    /** The one way commands open a registry, from {@code --registry} or a MODEL_URI's location; the caller closes it. */
    static ModelStore open(String location) {
        return ModelStores.open(location.endsWith("/") ? location.substring(0, location.length() - 1) : location);
    }
}
