package com.orderintel.registryserver.models;

import com.orderintel.registry.AliasPolicy;
import com.orderintel.registry.AliasState;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Read API over the store (role read): models, versions with manifests and reports, aliases with their log, policy. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class ModelsController {

    private final RegistryView view;

    ModelsController(RegistryView view) {
        this.view = view;
    }

    @GetMapping("/models")
    List<RegistryView.ModelSummary> models() {
        return view.models();
    }

    @GetMapping("/models/{model}")
    RegistryView.ModelDetail model(@PathVariable String model) {
        return view.model(model);
    }

    @GetMapping("/models/{model}/versions/{version}")
    RegistryView.VersionDetail version(@PathVariable String model, @PathVariable String version) {
        return view.version(model, version);
    }

    /** The training report as its own sandboxed document: its scripts, if any, never run with this origin's rights. */
    @GetMapping(path = "/models/{model}/versions/{version}/report", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<byte[]> report(@PathVariable String model, @PathVariable String version) {
        return ResponseEntity.ok().header("Content-Security-Policy", "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'")
                .contentType(MediaType.TEXT_HTML).body(view.report(model, version));
    }

    @GetMapping("/models/{model}/aliases")
    AliasState aliases(@PathVariable String model) {
        return view.aliases(model);
    }

    @GetMapping("/policy")
    AliasPolicy policy() {
        return view.policy();
    }
}
