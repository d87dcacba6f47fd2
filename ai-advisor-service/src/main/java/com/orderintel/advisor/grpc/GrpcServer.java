package com.orderintel.advisor.grpc;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server (plain grpc-java on Netty) as a Spring lifecycle bean: started with the context, stopped
 * gracefully before it closes. It serves what it is given (the Open Inference Protocol service behind its bearer
 * check, and {@link GrpcHealth}) and, when switched on, server reflection.
 */
public class GrpcServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);
    private final GrpcProperties properties;
    private final List<ServerServiceDefinition> services;
    private ExecutorService executor;
    private volatile Server server;

    GrpcServer(GrpcProperties properties, List<ServerServiceDefinition> services) {
        this.properties = properties;
        this.services = List.copyOf(services);
    }

    @Override
    public synchronized void start() {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(properties.address(), properties.port()))
                .maxInboundMessageSize((int) properties.maxInboundMessageSize().toBytes())
                .maxInboundMetadataSize(16 * 1024);
        services.forEach(builder::addService);
        if (properties.reflection()) {
            builder.addService(ProtoReflectionServiceV1.newInstance());
        }
        if (properties.tls()) {
            builder.useTransportSecurity(new File(properties.certChain()), new File(properties.privateKey()));
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        builder.executor(executor);
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("gRPC server could not bind " + properties.address() + ":" + properties.port(), e);
        }
        log.info("gRPC (Open Inference Protocol) on port {}{}{}", server.getPort(), properties.tls() ? ", TLS" : "",
                properties.reflection() ? ", reflection on" : "");
    }

    @Override
    public synchronized void stop() {
        Server s = server;
        if (s == null) {
            return;
        }
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
