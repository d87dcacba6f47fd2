package com.orderintel.advisor.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.orderintel.advisor.web.AdvisorApi;
import com.orderintel.advisor.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@RestController
@AdvisorApi
@Tag(name = "models", description = "Served models, their manifests, and admin reload")
class ModelsController {

    private final ServedModels holder;
    private final ModelLifecycle reloader;

    ModelsController(ServedModels holder, ModelLifecycle reloader) {
        this.holder = holder;
        this.reloader = reloader;
    }

    @GetMapping(path = "/api/v1/models", produces = "application/json")
    @Operation(summary = "The models served now")
    List<ServedModel> models() {
        return holder.snapshot().all().stream().map(ServedModel::of).toList();
    }

    @GetMapping(path = "/api/v1/models/{name}", produces = "application/json")
    @Operation(summary = "One served model with its manifest (version, metrics, commit, features)")
    ServedModel model(@PathVariable String name) {
        return holder.snapshot().byName(name).map(ServedModel::of)
                .orElseThrow(() -> new NotFoundException("model '" + name + "' is not served here (served: "
                        + holder.snapshot().all().stream().map(LoadedModel::name).toList() + ")"));
    }

    @PostMapping(path = "/api/v1/admin/models/reload", produces = "application/json")
    @Operation(summary = "Load, validate and atomically swap in models; without a body, reload the current URIs "
            + "(re-resolving aliases). A model that fails is refused and the current one keeps serving.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", examples = {
                    @ExampleObject(name = "move the anomaly model to an alias", value = """
                            {"anomaly_uri": "file:///var/registry/order-anomaly@production"}
                            """),
                    @ExampleObject(name = "reload the current URIs (re-resolve aliases)", value = "{}")})))
    List<ServedModel> reload(@RequestBody(required = false) ReloadRequest request) {
        Map<String, String> uris = new LinkedHashMap<>();
        if (request != null) {
            put(uris, "uri", request.uri());
            put(uris, "demand_uri", request.demandUri());
            put(uris, "anomaly_uri", request.anomalyUri());
        }
        return reloader.reload(uris).stream().map(ServedModel::of).toList();
    }

    private static void put(Map<String, String> uris, String key, String value) {
        if (value != null && !value.isBlank()) {
            uris.put(key, value.strip());
        }
    }

    /** Optional new URIs; each as MODEL_URI / MODEL_URI_DEMAND / MODEL_URI_ANOMALY. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ReloadRequest(String uri, String demandUri, String anomalyUri) { }

    /** A served model: where it came from, when it was loaded, and its full manifest. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ServedModel(String name, String version, String slot, String uri, Instant loadedAt, String commit,
                       Map<String, Double> metrics, Map<String, Object> manifest) {
        static ServedModel of(LoadedModel<?> m) {
            return new ServedModel(m.name(), m.version(), m.slot().label(), m.uri(), m.loadedAt(),
                    m.manifest().gitCommit(), m.manifest().metrics(), ManifestJson.toMap(m.manifest()));
        }
    }
}
