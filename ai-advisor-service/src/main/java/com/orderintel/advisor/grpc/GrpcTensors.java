package com.orderintel.advisor.grpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import com.orderintel.advisor.grpc.v2.InferParameter;
import com.orderintel.advisor.grpc.v2.InferTensorContents;
import com.orderintel.advisor.grpc.v2.ModelInferRequest;
import com.orderintel.advisor.grpc.v2.ModelInferRequest.InferInputTensor;
import com.orderintel.advisor.grpc.v2.ModelInferResponse;
import com.orderintel.advisor.grpc.v2.ModelInferResponse.InferOutputTensor;
import com.orderintel.advisor.inference.OipPayloads.InferenceRequest;
import com.orderintel.advisor.inference.OipPayloads.InferenceResponse;
import com.orderintel.advisor.inference.OipPayloads.RequestInput;
import com.orderintel.advisor.inference.OipPayloads.RequestOutput;
import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps gRPC tensors onto the REST OIP's request records (and results back), so both transports share the one
 * tensor validation ({@code inference.Tensors}) and serving pipeline. Typed contents are read from the field of the
 * tensor's datatype; {@code raw_input_contents} are little-endian, BYTES as 4-byte length-prefixed elements. Every
 * size is bounded before anything is allocated: rows by the batch limit, element counts by the shape.
 */
final class GrpcTensors {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final int maxRows;

    GrpcTensors(int maxRows) {
        this.maxRows = maxRows;
    }

    InferenceRequest request(ModelInferRequest r) {
        int raw = r.getRawInputContentsCount();
        if (raw > 0 && raw != r.getInputsCount()) {
            throw invalid("raw_input_contents has " + raw + " entries but there are " + r.getInputsCount() + " inputs");
        }
        List<RequestInput> inputs = new ArrayList<>(r.getInputsCount());
        for (int i = 0; i < r.getInputsCount(); i++) {
            InferInputTensor in = r.getInputs(i);
            long elements = elements(in);
            ArrayNode data;
            if (raw > 0) {
                if (in.hasContents()) {
                    throw invalid("input '" + in.getName() + "' has contents while raw_input_contents is used");
                }
                data = raw(in, r.getRawInputContents(i), elements);
            } else {
                data = typed(in);
            }
            inputs.add(new RequestInput(in.getName(), in.getShapeList(), in.getDatatype(), Map.of(), data));
        }
        List<RequestOutput> outputs = r.getOutputsList().stream().map(o -> new RequestOutput(o.getName(), Map.of())).toList();
        return new InferenceRequest(r.getId(), parameters(r.getParametersMap()), inputs, outputs);
    }

    ModelInferResponse response(InferenceResponse result) {
        ModelInferResponse.Builder out = ModelInferResponse.newBuilder().setModelName(result.modelName())
                .setModelVersion(result.modelVersion()).setId(result.id() == null ? "" : result.id());
        for (ResponseOutput o : result.outputs()) {
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            switch (o.data()) {
                case double[] d -> {
                    for (double v : d) {
                        contents.addFp64Contents(v);
                    }
                }
                case boolean[] b -> {
                    for (boolean v : b) {
                        contents.addBoolContents(v);
                    }
                }
                case List<?> l -> l.forEach(v -> contents.addBytesContents(ByteString.copyFromUtf8(String.valueOf(v))));
                case String[] s -> {
                    for (String v : s) {
                        contents.addBytesContents(ByteString.copyFromUtf8(v));
                    }
                }
                default -> throw new IllegalStateException("output '" + o.name() + "' has data of "
                        + o.data().getClass().getSimpleName());
            }
            out.addOutputs(InferOutputTensor.newBuilder().setName(o.name()).setDatatype(o.datatype())
                    .addAllShape(o.shape()).setContents(contents));
        }
        return out.build();
    }

    /** The shape's element count, with the rows (first dimension) within the batch limit. */
    private long elements(InferInputTensor in) {
        List<Long> shape = in.getShapeList();
        if (shape.isEmpty() || shape.size() > 2) {
            throw invalid("input '" + in.getName() + "' has shape " + shape + "; expected [N], [N, 1] or [N, F]");
        }
        for (long d : shape) {
            if (d < 0) {
                throw invalid("input '" + in.getName() + "' has shape " + shape + " with a negative dimension");
            }
        }
        if (shape.getFirst() > maxRows) {
            throw Status.RESOURCE_EXHAUSTED.withDescription("input '" + in.getName() + "' has " + shape.getFirst()
                    + " rows; the limit is " + maxRows + " (advisor.api.max-batch-size)").asRuntimeException();
        }
        if (shape.size() == 2 && shape.get(1) > 64) {
            throw invalid("input '" + in.getName() + "' has shape " + shape + "; at most 64 columns");
        }
        return shape.size() == 1 ? shape.getFirst() : shape.get(0) * shape.get(1);
    }

    private static ArrayNode typed(InferInputTensor in) {
        InferTensorContents c = in.getContents();
        ArrayNode a = NODES.arrayNode();
        String field;
        switch (in.getDatatype()) {
            case "FP64" -> { field = "fp64_contents"; c.getFp64ContentsList().forEach(a::add); }
            case "FP32" -> { field = "fp32_contents"; c.getFp32ContentsList().forEach(v -> a.add(v.doubleValue())); }
            case "INT64" -> { field = "int64_contents"; c.getInt64ContentsList().forEach(a::add); }
            case "INT32", "INT16", "INT8" -> { field = "int_contents"; c.getIntContentsList().forEach(a::add); }
            case "UINT64" -> { field = "uint64_contents"; c.getUint64ContentsList().forEach(v -> a.add(unsigned(v))); }
            case "UINT32", "UINT16", "UINT8" -> { field = "uint_contents";
                c.getUintContentsList().forEach(v -> a.add(Integer.toUnsignedLong(v))); }
            case "BOOL" -> { field = "bool_contents"; c.getBoolContentsList().forEach(a::add); }
            case "BYTES" -> { field = "bytes_contents"; c.getBytesContentsList().forEach(v -> a.add(v.toStringUtf8())); }
            default -> throw invalid("input '" + in.getName() + "' has datatype '" + in.getDatatype()
                    + "'; expected one of FP64, FP32, INT64, INT32, BYTES ...");
        }
        int all = c.getFp64ContentsCount() + c.getFp32ContentsCount() + c.getInt64ContentsCount() + c.getIntContentsCount()
                + c.getUint64ContentsCount() + c.getUintContentsCount() + c.getBoolContentsCount() + c.getBytesContentsCount();
        if (all != a.size()) {
            throw invalid("input '" + in.getName() + "' has datatype " + in.getDatatype() + " but contents outside "
                    + field);
        }
        return a;
    }

    private static ArrayNode raw(InferInputTensor in, ByteString bytes, long elements) {
        ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        String name = in.getName();
        ArrayNode a = NODES.arrayNode();
        if ("BYTES".equals(in.getDatatype())) {
            for (long i = 0; i < elements; i++) {
                if (b.remaining() < 4) {
                    throw invalid("input '" + name + "' raw contents end before element " + i + "'s 4-byte length");
                }
                int length = b.getInt();
                if (length < 0 || length > b.remaining()) {
                    throw invalid("input '" + name + "' raw element " + i + " claims " + Integer.toUnsignedString(length)
                            + " bytes; " + b.remaining() + " remain");
                }
                byte[] v = new byte[length];
                b.get(v);
                a.add(new String(v, StandardCharsets.UTF_8));
            }
            if (b.hasRemaining()) {
                throw invalid("input '" + name + "' raw contents have " + b.remaining() + " bytes after " + elements
                        + " elements");
            }
            return a;
        }
        int size = switch (in.getDatatype()) {
            case "FP64", "INT64", "UINT64" -> 8;
            case "FP32", "INT32", "UINT32" -> 4;
            case "INT16", "UINT16" -> 2;
            case "INT8", "UINT8", "BOOL" -> 1;
            default -> throw invalid("input '" + name + "' has datatype '" + in.getDatatype()
                    + "', not readable as raw contents");
        };
        if (bytes.size() != elements * size) {
            throw invalid("input '" + name + "' raw contents have " + bytes.size() + " bytes but shape "
                    + in.getShapeList() + " of " + in.getDatatype() + " needs " + elements * size);
        }
        for (long i = 0; i < elements; i++) {
            switch (in.getDatatype()) {
                case "FP64" -> a.add(b.getDouble());
                case "FP32" -> a.add((double) b.getFloat());
                case "INT64" -> a.add(b.getLong());
                case "UINT64" -> a.add(unsigned(b.getLong()));
                case "INT32" -> a.add(b.getInt());
                case "UINT32" -> a.add(Integer.toUnsignedLong(b.getInt()));
                case "INT16" -> a.add(b.getShort());
                case "UINT16" -> a.add(Short.toUnsignedInt(b.getShort()));
                case "INT8" -> a.add(b.get());
                case "UINT8" -> a.add(Byte.toUnsignedInt(b.get()));
                default -> a.add(b.get() != 0); // BOOL
            }
        }
        return a;
    }

    private static Map<String, Object> parameters(Map<String, InferParameter> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, switch (v.getParameterChoiceCase()) {
            case BOOL_PARAM -> v.getBoolParam();
            case INT64_PARAM -> v.getInt64Param();
            case STRING_PARAM -> v.getStringParam();
            case DOUBLE_PARAM -> v.getDoubleParam();
            case UINT64_PARAM -> Long.toUnsignedString(v.getUint64Param());
            case PARAMETERCHOICE_NOT_SET -> "";
        }));
        return out;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : Double.parseDouble(Long.toUnsignedString(v));
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
