package com.orderintel.advisor.grpc;

import com.orderintel.advisor.grpc.v2.GRPCInferenceServiceGrpc;
import com.orderintel.advisor.grpc.v2.ModelInferRequest;
import com.orderintel.advisor.grpc.v2.ModelInferResponse;
import com.orderintel.advisor.grpc.v2.ModelMetadataRequest;
import com.orderintel.advisor.grpc.v2.ModelMetadataResponse;
import com.orderintel.advisor.grpc.v2.ModelReadyRequest;
import com.orderintel.advisor.grpc.v2.ModelReadyResponse;
import com.orderintel.advisor.grpc.v2.ServerLiveRequest;
import com.orderintel.advisor.grpc.v2.ServerLiveResponse;
import com.orderintel.advisor.grpc.v2.ServerMetadataRequest;
import com.orderintel.advisor.grpc.v2.ServerMetadataResponse;
import com.orderintel.advisor.grpc.v2.ServerReadyRequest;
import com.orderintel.advisor.grpc.v2.ServerReadyResponse;
import com.orderintel.advisor.inference.OipException;
import com.orderintel.advisor.inference.OipPayloads.ModelMetadata;
import com.orderintel.advisor.inference.OipPayloads.ServerMetadata;
import com.orderintel.advisor.inference.OipPayloads.TensorMetadata;
import com.orderintel.advisor.inference.OipService;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.web.ApiProblemException;
import com.orderintel.advisor.web.InvalidInputException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * The Open Inference Protocol's {@code inference.GRPCInferenceService} over {@link OipService}: the same models,
 * checks and serving pipeline as the REST /v2 endpoints, counted with source="grpc". Errors are status codes whose
 * descriptions are the REST OIP's error texts (they name the tensor or field); never a stack trace.
 */
class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(InferenceGrpcService.class);

    private final OipService oip;
    private final GrpcTensors tensors;

    /** {@code maxRows}: the batch limit, checked from a tensor's shape before its contents are decoded. */
    InferenceGrpcService(OipService oip, int maxRows) {
        this.oip = oip;
        this.tensors = new GrpcTensors(maxRows);
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> reply) {
        answer(reply, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> reply) {
        answer(reply, () -> ServerReadyResponse.newBuilder().setReady(oip.ready()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> reply) {
        answer(reply, () -> {
            oip.resolve(request.getName(), request.getVersion());
            return ModelReadyResponse.newBuilder().setReady(true).build();
        });
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> reply) {
        answer(reply, () -> {
            ServerMetadata m = oip.server();
            return ServerMetadataResponse.newBuilder().setName(m.name()).setVersion(m.version())
                    .addAllExtensions(m.extensions()).build();
        });
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> reply) {
        answer(reply, () -> {
            ModelMetadata m = oip.metadata(request.getName(), request.getVersion());
            ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name())
                    .addAllVersions(m.versions()).setPlatform(m.platform());
            m.inputs().forEach(t -> b.addInputs(tensor(t)));
            m.outputs().forEach(t -> b.addOutputs(tensor(t)));
            return b.build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> reply) {
        answer(reply, () -> tensors.response(oip.infer(request.getModelName(), request.getModelVersion(),
                tensors.request(request), Source.GRPC)));
    }

    private static ModelMetadataResponse.TensorMetadata tensor(TensorMetadata t) {
        return ModelMetadataResponse.TensorMetadata.newBuilder().setName(t.name()).setDatatype(t.datatype())
                .addAllShape(t.shape()).build();
    }

    private static <T> void answer(StreamObserver<T> reply, Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            reply.onError(status(e).asRuntimeException());
            return;
        }
        reply.onNext(value);
        reply.onCompleted();
    }

    static Status status(RuntimeException e) {
        return switch (e) {
            case StatusRuntimeException s -> s.getStatus();
            case OipException o -> code(o.status()).withDescription(o.getMessage());
            case InvalidInputException i -> Status.INVALID_ARGUMENT.withDescription(OipService.describe(i));
            case ApiProblemException p -> code(p.status()).withDescription(p.getMessage());
            default -> {
                String id = UUID.randomUUID().toString();
                log.error("unexpected error {} in gRPC inference", id, e);
                yield Status.INTERNAL.withDescription("internal error; see the server log for error id " + id);
            }
        };
    }

    private static Status code(HttpStatus http) {
        return switch (http) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case SERVICE_UNAVAILABLE -> Status.UNAVAILABLE;
            case PAYLOAD_TOO_LARGE, TOO_MANY_REQUESTS -> Status.RESOURCE_EXHAUSTED;
            case UNAUTHORIZED -> Status.UNAUTHENTICATED;
            case FORBIDDEN -> Status.PERMISSION_DENIED;
            case CONFLICT -> Status.FAILED_PRECONDITION;
            default -> http.is5xxServerError() ? Status.INTERNAL : Status.INVALID_ARGUMENT;
        };
    }
}
