package com.orderintel.advisor.inference;

import com.orderintel.advisor.inference.OipPayloads.InferenceResponse;
import com.orderintel.advisor.inference.OipPayloads.ModelMetadata;
import com.orderintel.advisor.inference.OipPayloads.RequestOutput;
import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;
import com.orderintel.advisor.inference.OipPayloads.ServerMetadata;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.model.ServedModels;
import com.orderintel.advisor.serving.Source;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Open Inference Protocol v2 over the served models, whatever the transport: the REST controller and the gRPC
 * service both call this with the same request records, so tensor checks, limits and the serving pipeline are one
 * code path; only the {@link Source} (the metrics' source label) differs. Errors are {@link OipException}s (and the
 * pipeline's own validation and availability exceptions) for each transport to render.
 */
@Service
public class OipService {

    private final ServedModels holder;
    private final Map<ModelSlot<?>, InferenceAdapter> adapters = new HashMap<>();

    OipService(ServedModels holder, List<InferenceAdapter> adapters) {
        this.holder = holder;
        adapters.forEach(a -> this.adapters.put(a.slot(), a));
    }

    public ServerMetadata server() {
        return new ServerMetadata("ai-advisor-service", "0.1.0", List.of());
    }

    /** Ready once every configured model is loaded. */
    public boolean ready() {
        return holder.ready();
    }

    /** The served model of this name (and version, when given); 404 unknown, 503 expected but not loaded yet. */
    public LoadedModel<?> resolve(String name, String version) {
        LoadedModel<?> m = holder.snapshot().byName(name).orElse(null);
        if (m == null) {
            boolean expected = ModelSlot.values().stream().anyMatch(s -> s.conventionalName().equals(name));
            if (expected && !holder.ready()) {
                throw new OipException(HttpStatus.SERVICE_UNAVAILABLE, "model '" + name + "' is not loaded yet");
            }
            throw new OipException(HttpStatus.NOT_FOUND, "model '" + name + "' not found (served: "
                    + holder.snapshot().all().stream().map(LoadedModel::name).toList() + ")");
        }
        if (version != null && !version.isEmpty() && !version.equals(m.version())) {
            throw new OipException(HttpStatus.NOT_FOUND, "model '" + name + "' version '" + version
                    + "' not found (served version: " + m.version() + ")");
        }
        return m;
    }

    public ModelMetadata metadata(String name, String version) {
        LoadedModel<?> m = resolve(name, version);
        InferenceAdapter a = adapters.get(m.slot());
        Map<String, String> parameters = new LinkedHashMap<>(a.inputForms());
        parameters.put("explain", "request parameters {\"explain\": true} add the outputs " + a.explainOutputs());
        return new ModelMetadata(m.name(), List.of(m.version()), "orderintel-java/" + m.manifest().artifact().format(),
                a.inputs(), a.outputs(), parameters);
    }

    /** Scores the request through the serving pipeline, counted under {@code source}. */
    public InferenceResponse infer(String name, String version, TensorInput.Request request, Source source) {
        LoadedModel<?> m = resolve(name, version);
        InferenceAdapter adapter = adapters.get(m.slot());
        InferenceAdapter.Inference inference = adapter.infer(new Tensors(request.inputs(), adapter.acceptedInputs(),
                adapter.matrixColumns()), explain(request.parameters()), source);
        // the version that scored (a reload between resolve and scoring swaps it; the reply tells the truth)
        return new InferenceResponse(inference.model().name(), inference.model().version(), request.id(),
                select(inference.outputs(), request.outputs()));
    }

    /** The shared batch validation's violations, worded as tensor elements (as the REST OIP answers them). */
    public static String describe(com.orderintel.advisor.web.InvalidInputException e) {
        return e.violations().stream().map(OipExceptionHandler::describe).collect(Collectors.joining("; "));
    }

    /** The request parameter {@code explain}: a JSON boolean or the strings "true"/"false"; absent = false. */
    static boolean explain(Map<String, Object> parameters) {
        Object v = parameters == null ? null : parameters.get("explain");
        if (v == null || Boolean.FALSE.equals(v) || "false".equals(v)) {
            return false;
        }
        if (Boolean.TRUE.equals(v) || "true".equals(v)) {
            return true;
        }
        throw OipException.badRequest("parameter 'explain' must be true or false, got " + v);
    }

    /** Only the requested outputs, in request order; all when none are requested. */
    private static List<ResponseOutput> select(List<ResponseOutput> outputs, List<RequestOutput> requested) {
        if (requested == null || requested.isEmpty()) {
            return outputs;
        }
        Map<String, ResponseOutput> byName = outputs.stream()
                .collect(Collectors.toMap(ResponseOutput::name, o -> o));
        return requested.stream().map(r -> {
            ResponseOutput o = r == null ? null : byName.get(r.name());
            if (o == null) {
                throw OipException.badRequest("unknown output '" + (r == null ? null : r.name()) + "' (available "
                        + byName.keySet() + ")");
            }
            return o;
        }).toList();
    }
}
