package com.orderintel.advisor.grpc;

import com.google.protobuf.ByteString;
import com.orderintel.advisor.grpc.v2.InferParameter;
import com.orderintel.advisor.grpc.v2.InferTensorContents;
import com.orderintel.advisor.grpc.v2.ModelInferRequest;
import com.orderintel.advisor.grpc.v2.ModelInferRequest.InferInputTensor;
import com.orderintel.advisor.grpc.v2.ModelInferResponse;
import com.orderintel.advisor.grpc.v2.ModelInferResponse.InferOutputTensor;
import com.orderintel.advisor.inference.OipPayloads.InferenceResponse;
import com.orderintel.advisor.inference.OipPayloads.RequestOutput;
import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;
import com.orderintel.advisor.inference.TensorInput;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes gRPC tensors into primitive arrays for inference (and results back into tensors), so both transports share
 * the one tensor validation ({@code inference.Tensors}) and serving pipeline without the binary elements becoming
 * JSON nodes. Typed contents are read from the field of the
 * tensor's datatype; {@code raw_input_contents} are little-endian, BYTES as 4-byte length-prefixed elements. Every
 * size is bounded before anything is allocated: rows by the batch limit, element counts by the shape.
 */
final class GrpcTensors {

    private final int maxRows;

    GrpcTensors(int maxRows) {
        this.maxRows = maxRows;
    }

    /** The request as inference reads it: every tensor decoded into a primitive array (no per-element objects). */
    TensorInput.Request request(ModelInferRequest r) {
        int raw = r.getRawInputContentsCount();
        if (raw > 0 && raw != r.getInputsCount()) {
            throw invalid("raw_input_contents has " + raw + " entries but there are " + r.getInputsCount() + " inputs");
        }
        List<TensorInput.Decoded> inputs = new ArrayList<>(r.getInputsCount());
        for (int i = 0; i < r.getInputsCount(); i++) {
            InferInputTensor in = r.getInputs(i);
            long elements = elements(in);
            Object data;
            if (raw > 0) {
                if (in.hasContents()) {
                    throw invalid("input '" + in.getName() + "' has contents while raw_input_contents is used");
                }
                data = raw(in, r.getRawInputContents(i), elements);
            } else {
                data = typed(in);
            }
            inputs.add(new TensorInput.Decoded(in.getName(), in.getShapeList(), in.getDatatype(), data));
        }
        List<RequestOutput> outputs = r.getOutputsList().stream().map(o -> new RequestOutput(o.getName(), Map.of())).toList();
        return new Decoded(r.getId(), parameters(r.getParametersMap()), inputs, outputs);
    }

    private record Decoded(String id, Map<String, Object> parameters, List<TensorInput.Decoded> inputs,
                           List<RequestOutput> outputs) implements TensorInput.Request { }

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
                case List<?> l -> contents.addAllBytesContents(l.stream().map(v -> ByteString.copyFromUtf8(String.valueOf(v)))
                        .toList());
                case String[] s -> contents.addAllBytesContents(Arrays.stream(s).map(ByteString::copyFromUtf8).toList());
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

    /** The contents field of the tensor's datatype, read element by element from protobuf's primitive lists. */
    private static Object typed(InferInputTensor in) {
        InferTensorContents c = in.getContents();
        String field;
        int n;
        Object data;
        switch (in.getDatatype()) {
            case "FP64" -> {
                field = "fp64_contents";
                n = c.getFp64ContentsCount();
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = c.getFp64Contents(i);
                }
                data = d;
            }
            case "FP32" -> {
                field = "fp32_contents";
                n = c.getFp32ContentsCount();
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = c.getFp32Contents(i);
                }
                data = d;
            }
            case "INT64" -> {
                field = "int64_contents";
                n = c.getInt64ContentsCount();
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = c.getInt64Contents(i);
                }
                data = d;
            }
            case "INT32", "INT16", "INT8" -> {
                field = "int_contents";
                n = c.getIntContentsCount();
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = c.getIntContents(i);
                }
                data = d;
            }
            case "UINT64" -> {
                field = "uint64_contents";
                n = c.getUint64ContentsCount();
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = unsigned(c.getUint64Contents(i));
                }
                data = d;
            }
            case "UINT32", "UINT16", "UINT8" -> {
                field = "uint_contents";
                n = c.getUintContentsCount();
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = Integer.toUnsignedLong(c.getUintContents(i));
                }
                data = d;
            }
            case "BOOL" -> {
                field = "bool_contents";
                n = c.getBoolContentsCount();
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = c.getBoolContents(i);
                }
                data = b;
            }
            case "BYTES" -> {
                field = "bytes_contents";
                n = c.getBytesContentsCount();
                String[] t = new String[n];
                for (int i = 0; i < n; i++) {
                    t[i] = c.getBytesContents(i).toStringUtf8();
                }
                data = t;
            }
            default -> throw invalid("input '" + in.getName() + "' has datatype '" + in.getDatatype()
                    + "'; expected one of FP64, FP32, INT64, INT32, BYTES ...");
        }
        int all = c.getFp64ContentsCount() + c.getFp32ContentsCount() + c.getInt64ContentsCount() + c.getIntContentsCount()
                + c.getUint64ContentsCount() + c.getUintContentsCount() + c.getBoolContentsCount() + c.getBytesContentsCount();
        if (all != n) {
            throw invalid("input '" + in.getName() + "' has datatype " + in.getDatatype() + " but contents outside "
                    + field);
        }
        return data;
    }

    /**
     * Little-endian raw contents: numbers into a double[] (whole buffers for FP64/FP32), BOOL into a boolean[], BYTES
     * (4-byte length, then the bytes) into a String[]. The byte count is checked against the shape before allocating.
     */
    private static Object raw(InferInputTensor in, ByteString bytes, long elements) {
        ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        String name = in.getName();
        if ("BYTES".equals(in.getDatatype())) {
            List<String> out = new ArrayList<>((int) Math.min(elements, 4096));
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
                out.add(new String(v, StandardCharsets.UTF_8));
            }
            if (b.hasRemaining()) {
                throw invalid("input '" + name + "' raw contents have " + b.remaining() + " bytes after " + elements
                        + " elements");
            }
            return out.toArray(String[]::new);
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
        int n = (int) elements;
        if ("BOOL".equals(in.getDatatype())) {
            boolean[] flags = new boolean[n];
            for (int i = 0; i < n; i++) {
                flags[i] = b.get() != 0;
            }
            return flags;
        }
        double[] d = new double[n];
        switch (in.getDatatype()) {
            case "FP64" -> b.asDoubleBuffer().get(d);
            case "FP32" -> {
                for (int i = 0; i < n; i++) {
                    d[i] = b.getFloat();
                }
            }
            case "INT64" -> {
                for (int i = 0; i < n; i++) {
                    d[i] = b.getLong();
                }
            }
            case "UINT64" -> {
                for (int i = 0; i < n; i++) {
                    d[i] = unsigned(b.getLong());
                }
            }
            case "INT32" -> {
                for (int i = 0; i < n; i++) {
                    d[i] = b.getInt();
                }
            }
            case "UINT32" -> {
                for (int i = 0; i < n; i++) {
                    d[i] = Integer.toUnsignedLong(b.getInt());
                }
            }
            case "INT16" -> {
                for (int i = 0; i < n; i++) {
                    d[i] = b.getShort();
                }
            }
            case "UINT16" -> {
                for (int i = 0; i < n; i++) {
                    d[i] = Short.toUnsignedInt(b.getShort());
                }
            }
            case "INT8" -> {
                for (int i = 0; i < n; i++) {
                    d[i] = b.get();
                }
            }
            default -> { // UINT8
                for (int i = 0; i < n; i++) {
                    d[i] = Byte.toUnsignedInt(b.get());
                }
            }
        }
        return d;
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
