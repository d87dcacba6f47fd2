package com.orderintel.advisor.grpc;

import com.orderintel.advisor.model.ModelsSwappedEvent;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;

import java.util.function.BooleanSupplier;

/**
 * The standard health service ({@code grpc.health.v1}), tied to readiness: SERVING, overall and for the inference
 * service, once the models are loaded; NOT_SERVING before; terminal as soon as the context starts closing, so
 * clients move away before the server drains.
 */
class GrpcHealth {

    static final String SERVICE = "inference.GRPCInferenceService";

    private final HealthStatusManager manager = new HealthStatusManager();
    private final BooleanSupplier ready;

    GrpcHealth(BooleanSupplier ready) {
        this.ready = ready;
        update();
    }

    /** A swap can come before this listener is registered: the refreshed context is looked at once more. */
    @EventListener(classes = {ContextRefreshedEvent.class, ModelsSwappedEvent.class})
    void refresh() {
        update();
    }

    @EventListener
    void on(ContextClosedEvent closing) {
        manager.enterTerminalState();
    }

    private void update() {
        ServingStatus status = ready.getAsBoolean() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        manager.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        manager.setStatus(SERVICE, status);
    }

    ServerServiceDefinition service() {
        return manager.getHealthService().bindService();
    }
}
