package com.orderintel.registryserver.evidence;

import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Live evidence of a version (role read): shadow agreement and label metrics by source, drift per feature, rolling figures. */
@RestController
class EvidenceController {

    private final ModelStore store;
    private final LiveEvidence evidence;

    EvidenceController(ModelStore store, LiveEvidence evidence) {
        this.store = store;
        this.evidence = evidence;
    }

    @GetMapping(path = "/api/v1/models/{model}/versions/{version}/evidence", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> evidence(@PathVariable String model, @PathVariable String version,
                                 @RequestParam(defaultValue = "14") int days) {
        return evidence.all(store.manifest(new ModelUri(store.location(), model, version, null)), days);
    }
}
