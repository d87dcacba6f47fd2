package com.orderintel.advisor.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/** JSON objects of the Open Inference Protocol v2 REST API (KServe / Seldon / Triton), with the spec's field names. */
public final class OipPayloads {

    private OipPayloads() {
    }

    /** Inference request: one tensor per model input; {@code outputs} optionally selects outputs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InferenceRequest(String id, Map<String, Object> parameters, List<RequestInput> inputs,
                                   List<RequestOutput> outputs) implements TensorInput.Request { }

    /** {@code data} is row-major, flat or nested; kept as a tree so both forms are accepted. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RequestInput(String name, List<Long> shape, String datatype, Map<String, Object> parameters,
                               JsonNode data) implements TensorInput { }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RequestOutput(String name, Map<String, Object> parameters) { }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InferenceResponse(String modelName, String modelVersion, String id, List<ResponseOutput> outputs) { }

    /** {@code data} is a flat array: double[], boolean[] or a list of strings. */
    public record ResponseOutput(String name, List<Long> shape, String datatype, Object data) { }

    public record TensorMetadata(String name, String datatype, List<Long> shape) { }

    /**
     * {@code parameters} (string values, as the protocol's {@code $parameters}) say which input forms the model
     * takes besides the named tensors in {@code inputs} (see {@link InferenceAdapter#inputForms()}).
     */
    public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                                List<TensorMetadata> outputs, Map<String, String> parameters) { }

    public record ServerMetadata(String name, String version, List<String> extensions) { }

    /** The protocol's error body. */
    public record ErrorResponse(String error) { }
}
