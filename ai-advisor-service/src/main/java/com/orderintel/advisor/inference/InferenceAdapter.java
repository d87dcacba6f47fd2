package com.orderintel.advisor.inference;

import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;
import com.orderintel.advisor.inference.OipPayloads.TensorMetadata;
import com.orderintel.advisor.model.ModelRef;
import com.orderintel.advisor.model.ModelSlot;

import java.util.List;
import java.util.Set;

/** Maps one kind of model to Open Inference Protocol tensors: its declared inputs/outputs and inference. */
interface InferenceAdapter {

    ModelSlot<?> slot();

    List<TensorMetadata> inputs();

    List<TensorMetadata> outputs();

    /** Input tensor names a request may carry: the declared inputs plus any optional ones. */
    Set<String> acceptedInputs();

    /** Runs the serving pipeline on the request's columns; outputs in {@link #outputs()} order. */
    Inference infer(Tensors tensors);

    /** The outputs and the model version that produced them (the one named in the response). */
    record Inference(List<ResponseOutput> outputs, ModelRef model) { }

    static TensorMetadata tensor(String name, String datatype) {
        return new TensorMetadata(name, datatype, List.of(-1L));
    }
}
