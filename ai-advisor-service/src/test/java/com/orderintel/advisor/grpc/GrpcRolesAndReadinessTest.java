package com.orderintel.advisor.grpc;

import com.orderintel.advisor.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import com.orderintel.advisor.grpc.v2.ModelInferRequest;
import com.orderintel.advisor.grpc.v2.ServerLiveRequest;
import com.orderintel.advisor.grpc.v2.ServerReadyRequest;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.ServingApp;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;


import static com.orderintel.advisor.grpc.GrpcInferenceTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scoring not public (role read required) and a model that never loads: the gRPC service refuses a missing token
 * (UNAUTHENTICATED) and a token without role read (PERMISSION_DENIED) as REST answers 401/403, and before readiness
 * inference is UNAVAILABLE and grpc.health.v1 says NOT_SERVING.
 */
@ServingApp
@TestPropertySource(properties = {"advisor.security.public-scoring=false",
        "advisor.models.anomaly-uri=file:///nonexistent-grpc-test/order-anomaly/1",
        "advisor.models.demand-uri=file:///nonexistent-grpc-test/demand-forecast/1"})
@Tag("attack")
class GrpcRolesAndReadinessTest {

    @Autowired
    GrpcServer server;

    @AutoClose
    private GrpcTestClient client;

    @BeforeEach
    void connect() {
        client = new GrpcTestClient(server.port());
    }

    @Test
    void rolesAreTheRestRules() {
        assertStatus(() -> client.stub().serverLive(ServerLiveRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED,
                "a bearer token with role read is required");
        assertStatus(() -> as("Basic dXNlcjpwYXNz").serverLive(ServerLiveRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "authorization must be 'Bearer <token>'");
        assertStatus(() -> as("Bearer " + Credentials.FEEDBACK_TOKEN).serverLive(ServerLiveRequest.getDefaultInstance()),
                Status.Code.PERMISSION_DENIED, "role read is required");
        assertThat(as("Bearer " + Credentials.READ_TOKEN).serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(as("Bearer " + Credentials.ADMIN_TOKEN).serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    }

    @Test
    void beforeReadinessInferenceIsUnavailableAndHealthNotServing() {
        GRPCInferenceServiceBlockingStub reader = as("Bearer " + Credentials.READ_TOKEN);
        assertThat(reader.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
        assertStatus(() -> reader.modelInfer(ModelInferRequest.newBuilder().setModelName("order-anomaly").build()),
                Status.Code.UNAVAILABLE, "model 'order-anomaly' is not loaded yet");
        // health needs no token, like the actuator's probes
        assertThat(HealthGrpc.newBlockingStub(client.channel()).check(HealthCheckRequest.newBuilder()
                .setService("inference.GRPCInferenceService").build()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
    }

    private GRPCInferenceServiceBlockingStub as(String authorization) {
        Metadata m = new Metadata();
        m.put(BearerAuthInterceptor.AUTHORIZATION, authorization);
        return client.stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
    }
}
