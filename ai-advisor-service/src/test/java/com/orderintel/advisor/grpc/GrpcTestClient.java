package com.orderintel.advisor.grpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderintel.advisor.grpc.v2.GRPCInferenceServiceGrpc;
import com.orderintel.advisor.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.dataset.OrderRow;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * What the gRPC tests share: a plaintext channel to the service's real port (an instance is one channel and its
 * stub, closed with the test), and the REST OIP body for the same orders.
 */
final class GrpcTestClient implements AutoCloseable {

    /** The order features in the model's order, as read from a data-set row. */
    static final List<ToDoubleFunction<OrderRow>> FEATURES = List.of(OrderRow::avgProcessingMs, OrderRow::itemCount,
            OrderRow::paymentScore);

    private final ManagedChannel channel;
    private final GRPCInferenceServiceBlockingStub stub;

    GrpcTestClient(int port) {
        channel = plaintext(port);
        stub = stub(channel);
    }

    ManagedChannel channel() {
        return channel;
    }

    GRPCInferenceServiceBlockingStub stub() {
        return stub;
    }

    @Override
    public void close() throws InterruptedException {
        close(channel);
    }

    static ManagedChannel plaintext(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    /** A blocking stub whose calls must all finish within 30 s. */
    static GRPCInferenceServiceBlockingStub stub(ManagedChannel channel) {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The REST Open Inference Protocol request with one named FP64 tensor per feature. */
    static ObjectNode restRequest(ObjectMapper json, List<OrderRow> rows) {
        ObjectNode req = json.createObjectNode();
        ArrayNode inputs = req.putArray("inputs");
        for (int c = 0; c < FEATURES.size(); c++) {
            ObjectNode t = inputs.addObject().put("name", OrderMetrics.FEATURES.get(c)).put("datatype", "FP64");
            t.putArray("shape").add(rows.size());
            ArrayNode data = t.putArray("data");
            for (OrderRow r : rows) {
                data.add(FEATURES.get(c).applyAsDouble(r));
            }
        }
        return req;
    }
}
