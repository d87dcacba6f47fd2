package com.orderintel.advisor.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderintel.advisor.inference.OipPayloads.RequestInput;
import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the request's input tensors as feature columns: checks names, datatypes and shapes ({@code [N]} or
 * {@code [N, 1]}), flattens row-major data and checks every column has the same N. Errors name the input.
 * A model with matrix columns also takes a single {@code [N, F]} tensor of any other name (KServe's and MLServer's
 * scikit-learn form), split here into the same columns, so both forms score through the same code. JSON tensors are
 * checked element by element; a transport's decoded tensors ({@link TensorInput.Decoded}) arrive as primitive arrays
 * and meet the same shape, row and datatype checks.
 */
final class Tensors {

    static final Set<String> NUMERIC = Set.of("FP64", "FP32", "FP16", "INT64", "INT32", "INT16", "INT8",
            "UINT64", "UINT32", "UINT16", "UINT8");
    /** Datatypes of the [N, F] form: what scikit-learn clients send (numpy float32/float64/int32/int64). */
    static final List<String> MATRIX_DATATYPES = List.of("FP32", "FP64", "INT32", "INT64");

    private final Map<String, TensorInput> byName = new HashMap<>();
    /** The columns of an [N, F] tensor, when the request used that form. */
    private final Map<String, double[]> matrix = new HashMap<>();
    private int rows = -1;

    Tensors(List<? extends TensorInput> inputs, Set<String> known) {
        this(inputs, known, List.of());
    }

    Tensors(List<? extends TensorInput> inputs, Set<String> known, List<String> matrixColumns) {
        if (inputs == null || inputs.isEmpty()) {
            throw OipException.badRequest("request has no inputs (expected " + known + ")");
        }
        if (!matrixColumns.isEmpty() && inputs.size() == 1 && inputs.getFirst() != null
                && inputs.getFirst().name() != null && !known.contains(inputs.getFirst().name())) {
            splitMatrix(inputs.getFirst(), matrixColumns);
            return;
        }
        for (TensorInput in : inputs) {
            if (in == null || in.name() == null) {
                throw OipException.badRequest("every input needs a name (expected " + known + ")");
            }
            if (!known.contains(in.name())) {
                throw OipException.badRequest("unknown input '" + in.name() + "' (expected " + known
                        + (matrixColumns.isEmpty() ? "" : ", or a single [N, " + matrixColumns.size()
                        + "] tensor of any name with columns " + matrixColumns) + ")");
            }
            if (byName.put(in.name(), in) != null) {
                throw OipException.badRequest("input '" + in.name() + "' is given twice");
            }
        }
    }

    int rows() {
        return rows;
    }

    boolean has(String name) {
        return byName.containsKey(name) || matrix.containsKey(name);
    }

    double[] numbers(String name) {
        double[] column = matrix.get(name);
        if (column != null) {
            return column;
        }
        TensorInput in = require(name);
        if (!NUMERIC.contains(in.datatype())) {
            throw OipException.badRequest("input '" + name + "' has datatype " + in.datatype() + "; expected a numeric "
                    + "datatype such as FP64");
        }
        if (in instanceof TensorInput.Decoded d) {
            return decoded(d, double[].class);
        }
        List<JsonNode> values = flatten((RequestInput) in);
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = values.get(i);
            if (!v.isNumber()) {
                throw OipException.badRequest("input '" + name + "' element " + i + " is " + v + ", not a number");
            }
            out[i] = v.doubleValue();
        }
        return out;
    }

    String[] strings(String name) {
        TensorInput in = require(name);
        if (!"BYTES".equals(in.datatype())) {
            throw OipException.badRequest("input '" + name + "' has datatype " + in.datatype() + "; expected BYTES");
        }
        if (in instanceof TensorInput.Decoded d) {
            return decoded(d, String[].class);
        }
        List<JsonNode> values = flatten((RequestInput) in);
        String[] out = new String[values.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = values.get(i);
            if (!v.isTextual()) {
                throw OipException.badRequest("input '" + name + "' element " + i + " is " + v + ", not a string");
            }
            out[i] = v.textValue();
        }
        return out;
    }

    private TensorInput require(String name) {
        TensorInput in = byName.get(name);
        if (in == null) {
            throw OipException.badRequest("missing input '" + name + "'");
        }
        return in;
    }

    private List<JsonNode> flatten(RequestInput in) {
        long n = column(in);
        if (in.data() == null || !in.data().isArray()) {
            throw OipException.badRequest("input '" + in.name() + "' needs a data array");
        }
        List<JsonNode> values = new ArrayList<>((int) Math.min(n, 100_000));
        flattenInto(in.data(), values);
        count(in, values.size(), n);
        sameRows(in, n);
        return values;
    }

    /** A decoded column: its array as it is (the transport made every element of the datatype's kind). */
    private <A> A decoded(TensorInput.Decoded in, Class<A> kind) {
        long n = column(in);
        A values = kind.cast(in.data());
        count(in, java.lang.reflect.Array.getLength(values), n);
        sameRows(in, n);
        return values;
    }

    /** The rows of a column-shaped input ([N] or [N, 1]). */
    private static long column(TensorInput in) {
        List<Long> shape = in.shape();
        if (shape == null || shape.isEmpty() || shape.size() > 2 || shape.get(0) < 0
                || (shape.size() == 2 && shape.get(1) != 1)) {
            throw OipException.badRequest("input '" + in.name() + "' has shape " + shape + "; expected [N] or [N, 1]");
        }
        return shape.get(0);
    }

    /** Every input has the same N. */
    private void sameRows(TensorInput in, long n) {
        if (rows < 0) {
            rows = (int) n;
        } else if (rows != n) {
            throw OipException.badRequest("input '" + in.name() + "' has " + n + " rows but other inputs have " + rows);
        }
    }

    private static void count(TensorInput in, int elements, long needed) {
        if (elements != needed) {
            throw OipException.badRequest("input '" + in.name() + "' has " + elements + " elements but shape "
                    + in.shape() + " needs " + needed);
        }
    }

    /** Checks the [N, F] tensor (datatype, shape, N*F numbers, flat or nested row-major) and splits it by column. */
    private void splitMatrix(TensorInput in, List<String> columns) {
        int f = columns.size();
        String expected = "; expected shape [N, " + f + "] with columns " + columns;
        if (!MATRIX_DATATYPES.contains(in.datatype())) {
            throw OipException.badRequest("input '" + in.name() + "' has datatype " + in.datatype() + "; a single [N, "
                    + f + "] tensor needs one of " + MATRIX_DATATYPES);
        }
        List<Long> shape = in.shape();
        if (shape == null || shape.size() != 2 || shape.get(0) == null || shape.get(1) == null || shape.get(0) < 0) {
            throw OipException.badRequest("input '" + in.name() + "' has shape " + shape + expected);
        }
        if (shape.get(1) != f) {
            throw OipException.badRequest("input '" + in.name() + "' has shape " + shape + " (" + shape.get(1)
                    + " columns)" + expected);
        }
        long n = shape.get(0);
        if (in instanceof TensorInput.Decoded d) {
            double[] values = (double[]) d.data();
            count(in, values.length, n * f);
            double[][] split = new double[f][(int) n];
            for (int i = 0; i < values.length; i++) {
                split[i % f][i / f] = values[i];
            }
            for (int c = 0; c < f; c++) {
                matrix.put(columns.get(c), split[c]);
            }
            rows = (int) n;
            return;
        }
        RequestInput json = (RequestInput) in;
        if (json.data() == null || !json.data().isArray()) {
            throw OipException.badRequest("input '" + in.name() + "' needs a data array");
        }
        List<JsonNode> values = new ArrayList<>((int) Math.min(n * f, 300_000));
        flattenInto(json.data(), values);
        count(in, values.size(), n * f);
        boolean integral = in.datatype().startsWith("INT");
        double[][] split = new double[f][(int) n];
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = values.get(i);
            if (!v.isNumber() || (integral && !v.isIntegralNumber())) {
                throw OipException.badRequest("input '" + in.name() + "' element " + i + " (row " + i / f
                        + ", column '" + columns.get(i % f) + "') is " + v + ", not " + (integral ? "an integer" : "a number"));
            }
            split[i % f][i / f] = v.doubleValue();
        }
        for (int c = 0; c < f; c++) {
            matrix.put(columns.get(c), split[c]);
        }
        rows = (int) n;
    }

    private static void flattenInto(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(child -> flattenInto(child, out));
        } else {
            out.add(node);
        }
    }

    static ResponseOutput output(String name, String datatype, int rows, Object data) {
        return new ResponseOutput(name, List.of((long) rows), datatype, data);
    }
}
