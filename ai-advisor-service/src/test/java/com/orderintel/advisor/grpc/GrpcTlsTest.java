package com.orderintel.advisor.grpc;

import com.orderintel.advisor.grpc.v2.GRPCInferenceServiceGrpc;
import com.orderintel.advisor.grpc.v2.ServerLiveRequest;
import com.orderintel.advisor.support.ServingApp;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * advisor.grpc.cert-chain / private-key (what the Helm chart mounts from grpc.tls.existingSecret): the port speaks
 * TLS only. The certificate is a throwaway self-signed one made with openssl at test time.
 */
@ServingApp
class GrpcTlsTest {

    private static Path dir;

    @Autowired
    GrpcServer server;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws Exception {
        dir = Files.createTempDirectory("grpc-tls");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", dir.resolve("tls.key").toString(), "-out", dir.resolve("tls.crt").toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl is needed for this test");
        registry.add("advisor.grpc.cert-chain", () -> dir.resolve("tls.crt").toString());
        registry.add("advisor.grpc.private-key", () -> dir.resolve("tls.key").toString());
    }

    @Test
    void tlsClientsConnectAndPlaintextOnesAreRefused() throws Exception {
        ManagedChannel tls = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .sslContext(GrpcSslContexts.forClient().trustManager(dir.resolve("tls.crt").toFile()).build()).build();
        ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            assertThat(GRPCInferenceServiceGrpc.newBlockingStub(tls).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
            assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(plain).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .serverLive(ServerLiveRequest.getDefaultInstance())).isInstanceOf(StatusRuntimeException.class);
        } finally {
            tls.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
