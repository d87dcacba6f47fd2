package com.orderintel.advisor.grpc;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code advisor.grpc}: the Open Inference Protocol's gRPC service beside REST.
 *
 * @param enabled               ADVISOR_GRPC_ENABLED: start the gRPC server
 * @param port                  ADVISOR_GRPC_PORT: its port (0 = any free port, for tests)
 * @param address               the address to bind
 * @param maxInboundMessageSize the largest request message; larger ones are refused with RESOURCE_EXHAUSTED
 * @param reflection            server reflection (lets grpcurl list services without the .proto); off by default
 * @param certChain             PEM certificate chain file; with {@code privateKey}, the server speaks TLS only
 * @param privateKey            PEM private key file (PKCS#8)
 */
@ConfigurationProperties("advisor.grpc")
public record GrpcProperties(@DefaultValue("true") boolean enabled,
                             @DefaultValue("8090") int port,
                             @DefaultValue("0.0.0.0") String address,
                             @DefaultValue("4MB") DataSize maxInboundMessageSize,
                             @DefaultValue("false") boolean reflection,
                             String certChain,
                             String privateKey) {

    public GrpcProperties {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("advisor.grpc.port must be 0..65535, got " + port);
        }
        if (maxInboundMessageSize.toBytes() < 1024 || maxInboundMessageSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("advisor.grpc.max-inbound-message-size must be 1KB..2GB, got "
                    + maxInboundMessageSize);
        }
        if ((certChain == null || certChain.isBlank()) != (privateKey == null || privateKey.isBlank())) {
            throw new IllegalArgumentException("advisor.grpc.cert-chain and advisor.grpc.private-key go together");
        }
    }

    boolean tls() {
        return certChain != null && !certChain.isBlank();
    }
}
