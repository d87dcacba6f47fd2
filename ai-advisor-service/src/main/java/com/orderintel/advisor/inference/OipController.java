package com.orderintel.advisor.inference;

import com.orderintel.advisor.inference.OipPayloads.InferenceRequest;
import com.orderintel.advisor.inference.OipPayloads.InferenceResponse;
import com.orderintel.advisor.inference.OipPayloads.ModelMetadata;
import com.orderintel.advisor.inference.OipPayloads.ServerMetadata;
import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.serving.Source;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Open Inference Protocol v2 (REST) over the served models, so clients written for KServe, Seldon or Triton can
 * call this service. Health and readiness answer 200 or 503; errors are {@code {"error": "..."}}.
 */
@RestController
@RequestMapping(path = "/v2", produces = "application/json")
@Tag(name = "open-inference-protocol-v2", description = "KServe/Seldon/Triton Open Inference Protocol v2 REST")
class OipController {

    private final OipService oip;

    OipController(OipService oip) {
        this.oip = oip;
    }

    @GetMapping
    @Operation(summary = "Server metadata")
    ServerMetadata server() {
        return oip.server();
    }

    @GetMapping("/health/live")
    @Operation(summary = "Server live: 200 while the process serves HTTP")
    Map<String, Boolean> live() {
        return Map.of("live", true);
    }

    @GetMapping("/health/ready")
    @Operation(summary = "Server ready: 200 once every configured model is loaded, else 503")
    ResponseEntity<Map<String, Boolean>> ready() {
        boolean ready = oip.ready();
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("ready", ready));
    }

    @GetMapping({"/models/{name}/ready", "/models/{name}/versions/{version}/ready"})
    @Operation(summary = "Model ready: 200 when this model (and version) is loaded")
    Map<String, Object> modelReady(@PathVariable String name, @PathVariable(required = false) String version) {
        LoadedModel<?> m = oip.resolve(name, version);
        return Map.of("name", m.name(), "ready", true);
    }

    @GetMapping({"/models/{name}", "/models/{name}/versions/{version}"})
    @Operation(summary = "Model metadata: versions, platform, input and output tensors")
    ModelMetadata metadata(@PathVariable String name, @PathVariable(required = false) String version) {
        return oip.metadata(name, version);
    }

    @PostMapping(path = {"/models/{name}/infer", "/models/{name}/versions/{version}/infer"},
            consumes = "application/json")
    @Operation(summary = "Inference: one tensor per input feature (row-major), or for order-anomaly one [N, 3] "
            + "tensor of any name in the metadata's matrix_columns order; outputs per the metadata",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", examples = {
                    @ExampleObject(name = "order-anomaly, named tensors", value = """
                            {"id": "req-1", "inputs": [
                              {"name": "avg_processing_ms", "shape": [2], "datatype": "FP64", "data": [420.0, 9800.0]},
                              {"name": "item_count", "shape": [2], "datatype": "FP64", "data": [3, 41]},
                              {"name": "payment_score", "shape": [2], "datatype": "FP64", "data": [0.92, 0.05]},
                              {"name": "order_id", "shape": [2], "datatype": "BYTES", "data": ["ORD-1001", "ORD-1002"]}
                            ]}
                            """),
                    @ExampleObject(name = "order-anomaly, one [N, 3] tensor (KServe/MLServer scikit-learn form)",
                            value = """
                            {"id": "req-2", "inputs": [
                              {"name": "input-0", "shape": [2, 3], "datatype": "FP32",
                               "data": [420.0, 3, 0.92, 9800.0, 41, 0.05]}
                            ]}
                            """),
                    @ExampleObject(name = "demand-forecast, named tensors only", value = """
                            {"inputs": [
                              {"name": "date", "shape": [1], "datatype": "BYTES", "data": ["2024-08-15"]},
                              {"name": "product_id", "shape": [1], "datatype": "BYTES", "data": ["SKU-001"]},
                              {"name": "avg_basket_value", "shape": [1], "datatype": "FP64", "data": [54.9]},
                              {"name": "promo_flag", "shape": [1], "datatype": "INT32", "data": [1]}
                            ],
                             "outputs": [{"name": "predicted_demand"}]}
                            """)})))
    InferenceResponse infer(@PathVariable String name, @PathVariable(required = false) String version,
                            @RequestBody InferenceRequest request) {
        return oip.infer(name, version, request, Source.OIP);
    }
}
