package com.orderintel.advisor.grpc;

import com.orderintel.advisor.model.ModelsSwappedEvent;
import com.orderintel.advisor.inference.OipService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server (plain grpc-java on Netty) as a Spring lifecycle bean: started with the context, stopped
 * gracefully before it closes. It carries the Open Inference Protocol service, the standard health service
 * ({@code grpc.health.v1}: SERVING once the models are loaded, for the service and overall) and, when switched on,
 * server reflection.
 */
public class GrpcServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);
    static final String SERVICE = "inference.GRPCInferenceService";

    private final GrpcProperties properties;
    private final InferenceGrpcService inference;
    private final BearerAuthInterceptor auth;
    private final OipService oip;
    private final HealthStatusManager health = new HealthStatusManager();
    private ExecutorService executor;
    private volatile Server server;

    GrpcServer(GrpcProperties properties, InferenceGrpcService inference, BearerAuthInterceptor auth, OipService oip) {
        this.properties = properties;
        this.inference = inference;
        this.auth = auth;
        this.oip = oip;
    }

    @Override
    public synchronized void start() {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(properties.address(), properties.port()))
                .maxInboundMessageSize((int) properties.maxInboundMessageSize().toBytes())
                .maxInboundMetadataSize(16 * 1024)
                .addService(ServerInterceptors.intercept(inference, auth))
                .addService(health.getHealthService());
        if (properties.reflection()) {
            builder.addService(ProtoReflectionServiceV1.newInstance());
        }
        if (properties.tls()) {
            builder.useTransportSecurity(new File(properties.certChain()), new File(properties.privateKey()));
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        builder.executor(executor);
        updateHealth();
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("gRPC server could not bind " + properties.address() + ":" + properties.port(), e);
        }
        log.info("gRPC (Open Inference Protocol) on port {}{}{}", server.getPort(), properties.tls() ? ", TLS" : "",
                properties.reflection() ? ", reflection on" : "");
    }

    @EventListener
    void on(ModelsSwappedEvent swapped) {
        updateHealth();
    }

    private void updateHealth() {
        ServingStatus status = oip.ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        health.setStatus(SERVICE, status);
    }

    @Override
    public synchronized void stop() {
        Server s = server;
        if (s == null) {
            return;
        }
        health.enterTerminalState();
        s.shutdown();
        try {
            if (!s.awaitTermination(10, TimeUnit.SECONDS)) {
                s.shutdownNow();
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor.shutdown();
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The bound port (the chosen one when configured as 0). */
    public int port() {
        Server s = server;
        if (s == null) {
            throw new IllegalStateException("gRPC server is not running");
        }
        return s.getPort();
    }
}
