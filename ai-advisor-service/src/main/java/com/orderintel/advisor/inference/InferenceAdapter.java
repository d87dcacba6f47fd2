package com.orderintel.advisor.inference;

import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;
import com.orderintel.advisor.inference.OipPayloads.TensorMetadata;
import com.orderintel.advisor.model.ModelRef;
import com.orderintel.advisor.model.ModelSlot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps one kind of model to Open Inference Protocol tensors: its declared inputs/outputs and inference. */
interface InferenceAdapter {

    ModelSlot<?> slot();

    List<TensorMetadata> inputs();

    List<TensorMetadata> outputs();

    /** Input tensor names a request may carry: the declared inputs plus any optional ones. */
    Set<String> acceptedInputs();

    /**
     * The columns, in order, of the single {@code [N, F]} numeric tensor the model also accepts (the form KServe's and
     * MLServer's scikit-learn runtimes send); empty when the model takes only named tensors.
     */
    default List<String> matrixColumns() {
        return List.of();
    }

    /** The metadata's {@code parameters}: the accepted input forms, in words a client can act on. */
    default Map<String, String> inputForms() {
        List<String> columns = matrixColumns();
        Map<String, String> forms = new LinkedHashMap<>();
        if (columns.isEmpty()) {
            forms.put("input_forms", "named");
            forms.put("named_form", "one tensor per input listed in 'inputs', shape [N] or [N, 1]");
            forms.put("matrix_form", "not supported: the inputs are not all numeric (strings such as dates and "
                    + "product ids), so send the named form");
            return forms;
        }
        forms.put("input_forms", "named,matrix");
        forms.put("named_form", "one tensor per input listed in 'inputs', shape [N] or [N, 1]");
        forms.put("matrix_form", "one tensor of any name (e.g. input-0), shape [N, " + columns.size() + "], datatype "
                + String.join("/", Tensors.MATRIX_DATATYPES) + ", row-major data, columns in matrix_columns order");
        forms.put("matrix_columns", String.join(",", columns));
        return forms;
    }

    /** The metadata's words on explanations: what request parameter {@code explain: true} adds to the outputs. */
    String explainOutputs();

    /**
     * Runs the serving pipeline on the request's columns; outputs in {@link #outputs()} order, followed with
     * {@code explain} by the explanation outputs ({@link #explainOutputs()}).
     */
    Inference infer(Tensors tensors, boolean explain, com.orderintel.advisor.serving.Source source);

    /** The outputs and the model version that produced them (the one named in the response). */
    record Inference(List<ResponseOutput> outputs, ModelRef model) { }

    static TensorMetadata tensor(String name, String datatype) {
        return new TensorMetadata(name, datatype, List.of(-1L));
    }
}
