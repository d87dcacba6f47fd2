package com.orderintel.advisor.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.orderintel.advisor.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import com.orderintel.advisor.grpc.v2.InferParameter;
import com.orderintel.advisor.grpc.v2.InferTensorContents;
import com.orderintel.advisor.grpc.v2.ModelInferRequest;
import com.orderintel.advisor.grpc.v2.ModelInferRequest.InferInputTensor;
import com.orderintel.advisor.grpc.v2.ModelInferResponse;
import com.orderintel.advisor.grpc.v2.ModelInferResponse.InferOutputTensor;
import com.orderintel.advisor.grpc.v2.ModelMetadataRequest;
import com.orderintel.advisor.grpc.v2.ModelMetadataResponse;
import com.orderintel.advisor.grpc.v2.ModelReadyRequest;
import com.orderintel.advisor.grpc.v2.ServerLiveRequest;
import com.orderintel.advisor.grpc.v2.ServerMetadataRequest;
import com.orderintel.advisor.grpc.v2.ServerReadyRequest;
import com.orderintel.advisor.support.Credentials;
import com.orderintel.advisor.support.ServingTestBase;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.OrderRow;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Open Inference Protocol's gRPC service on a real Netty port on 127.0.0.1, called with grpc-java's generated
 * client: every RPC, typed and raw contents, the [N, 3] form, explanations, the error codes, health, and scores equal
 * to the REST OIP's (and the model's own) for the same orders.
 */
class GrpcInferenceTest extends ServingTestBase {

    private static final List<ToDoubleFunction<OrderRow>> FEATURES = GrpcTestClient.FEATURES;

    @Autowired
    GrpcServer server;

    private ManagedChannel channel;
    private GRPCInferenceServiceBlockingStub stub;

    @BeforeEach
    void connect() throws InterruptedException {
        awaitReady();
        channel = GrpcTestClient.plaintext(server.port());
        stub = GrpcTestClient.stub(channel);
    }

    @AfterEach
    void close() throws InterruptedException {
        GrpcTestClient.close(channel);
    }

    @Test
    void everyMetadataRpcAnswers() {
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName()).isEqualTo("ai-advisor-service");
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("order-anomaly").build()).getReady()).isTrue();
        ModelMetadataResponse m = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("order-anomaly").build());
        assertThat(m.getInputsList()).extracting(ModelMetadataResponse.TensorMetadata::getName)
                .containsExactlyElementsOf(OrderMetrics.FEATURES);
        assertThat(m.getOutputsList()).extracting(ModelMetadataResponse.TensorMetadata::getName)
                .contains("anomaly_score", "is_anomaly");
        assertThat(m.getVersionsList()).hasSize(1);
        ModelMetadataResponse d = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("demand-forecast").build());
        assertThat(d.getOutputsList()).extracting(ModelMetadataResponse.TensorMetadata::getName).contains("predicted_demand");

        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("inference.GRPCInferenceService").build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void typedAndRawContentsScoreLikeRestAndTheModel() throws Exception {
        List<OrderRow> rows = MODELS.orderRows.subList(700, 740);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ids.add("GRPC-" + i);
        }
        ModelInferResponse typed = stub.modelInfer(named(rows, ids, false));
        ModelInferResponse raw = stub.modelInfer(named(rows, ids, true));
        assertThat(typed.getModelName()).isEqualTo("order-anomaly");
        assertThat(typed.getId()).isEqualTo("req-grpc");
        assertThat(fp64(typed, "anomaly_score")).hasSize(rows.size()).isEqualTo(fp64(raw, "anomaly_score"));
        assertThat(output(typed, "is_anomaly").getContents().getBoolContentsList())
                .isEqualTo(output(raw, "is_anomaly").getContents().getBoolContentsList());

        // the REST OIP's answer for the same orders
        JsonNode rest = json.readTree(post("/v2/models/order-anomaly/infer", restRequest(rows).toString()).getBody());
        List<Double> restScores = new ArrayList<>();
        for (JsonNode o : rest.get("outputs")) {
            if (o.get("name").asText().equals("anomaly_score")) {
                o.get("data").forEach(v -> restScores.add(v.asDouble()));
            }
        }
        assertThat(fp64(typed, "anomaly_score")).isEqualTo(restScores);
        assertThat(fp64(typed, "anomaly_score").getFirst())
                .isEqualTo(MODELS.anomalyModel.score(OrderMetrics.of(rows.getFirst())).score());

        // [N, 3] in one FP32 tensor, typed and raw: the same scores as FP32 named inputs would give
        ModelInferResponse matrixTyped = stub.modelInfer(matrix(rows, false));
        ModelInferResponse matrixRaw = stub.modelInfer(matrix(rows, true));
        assertThat(output(matrixTyped, "anomaly_score").getShapeList()).containsExactly((long) rows.size());
        assertThat(fp64(matrixTyped, "anomaly_score")).isEqualTo(fp64(matrixRaw, "anomaly_score"));

        String metrics = http.getForObject("/actuator/prometheus", String.class);
        assertThat(metrics).containsPattern("advisor_predictions_total\\{[^}]*source=\"grpc\"");
    }

    @Test
    void explainParameterAddsTheExplanationOutputsAndOutputsSelect() {
        List<OrderRow> rows = MODELS.orderRows.subList(10, 12);
        ModelInferRequest.Builder req = named(rows, List.of("E-1", "E-2"), false).toBuilder()
                .putParameters("explain", InferParameter.newBuilder().setBoolParam(true).build());
        ModelInferResponse explained = stub.modelInfer(req.build());
        assertThat(explained.getOutputsList()).extracting(InferOutputTensor::getName).contains("explanation",
                "attribution_avg_processing_ms");
        ModelInferResponse selected = stub.modelInfer(named(rows, List.of("E-1", "E-2"), false).toBuilder()
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("anomaly_score")).build());
        assertThat(selected.getOutputsList()).extracting(InferOutputTensor::getName).containsExactly("anomaly_score");
    }

    @Test
    @Tag("attack")
    void badRequestsAreStatusCodesNamingTheTensorOrField() {
        List<OrderRow> rows = MODELS.orderRows.subList(0, 2);
        assertStatus(() -> stub.modelInfer(named(rows, null, false).toBuilder().setModelName("no-such-model").build()),
                Status.Code.NOT_FOUND, "model 'no-such-model' not found");
        assertStatus(() -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("order-anomaly").setVersion("v999").build()),
                Status.Code.NOT_FOUND, "version 'v999' not found");
        assertStatus(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("order-anomaly")
                        .addInputs(fp64Tensor("avg_processing_ms", List.of(1.0))).addInputs(fp64Tensor("bogus", List.of(1.0))).build()),
                Status.Code.INVALID_ARGUMENT, "unknown input 'bogus'");
        assertStatus(() -> stub.modelInfer(named(rows, List.of("ok-1", "bad id with spaces\n"), false)),
                Status.Code.INVALID_ARGUMENT, "input 'order_id' element 1");
        // typed contents in a field that does not match the datatype
        assertStatus(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("order-anomaly")
                        .addInputs(InferInputTensor.newBuilder().setName("avg_processing_ms").setDatatype("FP64").addShape(1)
                                .setContents(InferTensorContents.newBuilder().addInt64Contents(5))).build()),
                Status.Code.INVALID_ARGUMENT, "input 'avg_processing_ms' has datatype FP64 but contents outside fp64_contents");
        // raw contents of the wrong length, and a BYTES length prefix pointing past the end
        assertStatus(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("order-anomaly")
                        .addInputs(InferInputTensor.newBuilder().setName("item_count").setDatatype("FP64").addShape(2))
                        .addRawInputContents(ByteString.copyFrom(new byte[12])).build()),
                Status.Code.INVALID_ARGUMENT, "input 'item_count' raw contents have 12 bytes but shape [2] of FP64 needs 16");
        assertStatus(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("order-anomaly")
                        .addInputs(InferInputTensor.newBuilder().setName("order_id").setDatatype("BYTES").addShape(1))
                        .addRawInputContents(ByteString.copyFrom(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                                .putInt(0, 1 << 30).array())).build()),
                Status.Code.INVALID_ARGUMENT, "input 'order_id' raw element 0 claims 1073741824 bytes");
        // over the batch limit: refused from the shape, before anything is read
        assertStatus(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("order-anomaly")
                        .addInputs(InferInputTensor.newBuilder().setName("input-0").setDatatype("FP64").addShape(1_000_001)
                                .addShape(3)).build()),
                Status.Code.RESOURCE_EXHAUSTED, "input 'input-0' has 1000001 rows; the limit is 1000");
        // over the inbound message size (4 MB by default): refused by the transport
        byte[] big = new byte[5 * 1024 * 1024];
        assertStatus(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("order-anomaly")
                        .addInputs(InferInputTensor.newBuilder().setName("item_count").setDatatype("FP64").addShape(big.length / 8))
                        .addRawInputContents(ByteString.copyFrom(big)).build()),
                Status.Code.RESOURCE_EXHAUSTED, "");
        // a presented token must be valid
        Metadata bad = new Metadata();
        bad.put(BearerAuthInterceptor.AUTHORIZATION, "Bearer not-a-valid-token-at-all");
        assertStatus(() -> stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bad))
                .modelInfer(named(rows, null, false)), Status.Code.UNAUTHENTICATED, "invalid bearer token");
        Metadata good = new Metadata();
        good.put(BearerAuthInterceptor.AUTHORIZATION, "Bearer " + Credentials.READ_TOKEN);
        assertThat(stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(good)).modelInfer(named(rows, null, false))
                .getOutputsCount()).isPositive();
    }

    static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
            assertThat(String.valueOf(e.getStatus().getDescription())).contains(message);
        });
    }

    private static List<Double> fp64(ModelInferResponse r, String name) {
        return output(r, name).getContents().getFp64ContentsList();
    }

    private static InferOutputTensor output(ModelInferResponse r, String name) {
        return r.getOutputsList().stream().filter(o -> o.getName().equals(name)).findFirst().orElseThrow();
    }

    private static InferInputTensor fp64Tensor(String name, List<Double> values) {
        return InferInputTensor.newBuilder().setName(name).setDatatype("FP64").addShape(values.size())
                .setContents(InferTensorContents.newBuilder().addAllFp64Contents(values)).build();
    }

    /** One tensor per feature (FP64) plus order_id (BYTES) when ids are given; typed contents or raw bytes. */
    static ModelInferRequest named(List<OrderRow> rows, List<String> ids, boolean raw) {
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName("order-anomaly").setId("req-grpc");
        for (int c = 0; c < FEATURES.size(); c++) {
            ToDoubleFunction<OrderRow> f = FEATURES.get(c);
            List<Double> values = rows.stream().map(f::applyAsDouble).toList();
            InferInputTensor.Builder t = InferInputTensor.newBuilder().setName(OrderMetrics.FEATURES.get(c))
                    .setDatatype("FP64").addShape(rows.size());
            if (raw) {
                ByteBuffer buf = ByteBuffer.allocate(values.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
                values.forEach(buf::putDouble);
                b.addRawInputContents(ByteString.copyFrom(buf.array()));
            } else {
                t.setContents(InferTensorContents.newBuilder().addAllFp64Contents(values));
            }
            b.addInputs(t);
        }
        if (ids != null) {
            InferInputTensor.Builder t = InferInputTensor.newBuilder().setName("order_id").setDatatype("BYTES")
                    .addShape(ids.size());
            if (raw) {
                ByteString packed = ByteString.EMPTY;
                for (String id : ids) {
                    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
                    packed = packed.concat(ByteString.copyFrom(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                            .putInt(bytes.length).array())).concat(ByteString.copyFrom(bytes));
                }
                b.addRawInputContents(packed);
            } else {
                InferTensorContents.Builder c = InferTensorContents.newBuilder();
                ids.forEach(id -> c.addBytesContents(ByteString.copyFromUtf8(id)));
                t.setContents(c);
            }
            b.addInputs(t);
        }
        return b.build();
    }

    /** The [N, 3] FP32 form (KServe's scikit-learn clients). */
    static ModelInferRequest matrix(List<OrderRow> rows, boolean raw) {
        InferInputTensor.Builder t = InferInputTensor.newBuilder().setName("input-0").setDatatype("FP32")
                .addShape(rows.size()).addShape(3);
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName("order-anomaly");
        ByteBuffer buf = ByteBuffer.allocate(rows.size() * 12).order(ByteOrder.LITTLE_ENDIAN);
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (OrderRow r : rows) {
            for (ToDoubleFunction<OrderRow> f : FEATURES) {
                buf.putFloat((float) f.applyAsDouble(r));
                c.addFp32Contents((float) f.applyAsDouble(r));
            }
        }
        if (raw) {
            b.addRawInputContents(ByteString.copyFrom(buf.array()));
        } else {
            t.setContents(c);
        }
        return b.addInputs(t).build();
    }

    private ObjectNode restRequest(List<OrderRow> rows) {
        return GrpcTestClient.restRequest(json, rows);
    }
}
