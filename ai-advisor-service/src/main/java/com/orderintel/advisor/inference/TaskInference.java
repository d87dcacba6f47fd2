package com.orderintel.advisor.inference;

import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;
import com.orderintel.advisor.inference.OipPayloads.TensorMetadata;
import com.orderintel.advisor.model.ModelRef;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.serving.Source;
import com.orderintel.advisor.serving.TaskService;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The one shape of an OIP adapter: a task's declared tensors, and inference as request rows in, the task's REST
 * service (same rules as REST), response rows out as tensors. A task only says how its rows map to tensors.
 *
 * @param <Q> the task's REST request row
 * @param <R> the task's REST response row
 */
abstract class TaskInference<Q, R> implements InferenceAdapter {

    private final ModelSlot<?> slot;
    private final List<TensorMetadata> inputs;
    private final List<TensorMetadata> outputs;
    private final Set<String> acceptedInputs;
    private final String explainOutputs;
    private final TaskService<?, Q, ?, ?, ?, R> service;
    private final Function<R, ModelRef> model;

    TaskInference(TaskService<?, Q, ?, ?, ?, R> service, Function<R, ModelRef> model, ModelSlot<?> slot,
                  List<TensorMetadata> inputs, List<TensorMetadata> outputs, Set<String> acceptedInputs, String explainOutputs) {
        this.service = service;
        this.model = model;
        this.slot = slot;
        this.inputs = inputs;
        this.outputs = outputs;
        this.acceptedInputs = acceptedInputs;
        this.explainOutputs = explainOutputs;
    }

    @Override
    public ModelSlot<?> slot() {
        return slot;
    }

    @Override
    public List<TensorMetadata> inputs() {
        return inputs;
    }

    @Override
    public List<TensorMetadata> outputs() {
        return outputs;
    }

    @Override
    public Set<String> acceptedInputs() {
        return acceptedInputs;
    }

    @Override
    public String explainOutputs() {
        return explainOutputs;
    }

    /** The request's columns as REST request rows (a bad element is an {@link OipException}). */
    abstract List<Q> requests(Tensors t);

    /** The declared outputs, in {@link #outputs()} order. */
    abstract List<ResponseOutput> outputs(List<R> results);

    /** The explanation outputs ({@link #explainOutputs()}). */
    abstract List<ResponseOutput> explanations(List<R> results);

    @Override
    public final Inference infer(Tensors t, boolean explain, Source source) {
        List<R> results = service.batch(source, requests(t), explain);
        List<ResponseOutput> out = new ArrayList<>(outputs(results));
        if (explain) {
            out.addAll(explanations(results));
        }
        return new Inference(out, model.apply(results.getFirst()));
    }
}
