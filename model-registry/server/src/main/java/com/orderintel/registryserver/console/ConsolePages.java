package com.orderintel.registryserver.console;

import com.orderintel.registry.AliasMove;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import com.orderintel.registryserver.datasets.SnapshotCatalog;
import com.orderintel.registryserver.events.WebhookStatusSource;
import com.orderintel.registryserver.evidence.LiveEvidence;
import com.orderintel.registryserver.models.RegistryView;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The console's pages (role read), rendered on the server with Thymeleaf; pictures are inline SVG from {@link Charts}. */
@Controller
class ConsolePages {

    private final RegistryView view;
    private final LiveEvidence evidence;
    private final SnapshotCatalog datasets;
    private final WebhookStatusSource webhooks;

    ConsolePages(RegistryView view, LiveEvidence evidence, SnapshotCatalog datasets, ObjectProvider<WebhookStatusSource> webhooks) {
        this.view = view;
        this.evidence = evidence;
        this.datasets = datasets;
        this.webhooks = webhooks.getIfAvailable(WebhookStatusSource::none); // a webhook publisher provides the real one
    }

    @ModelAttribute
    void common(Model model) {
        model.addAttribute("fmt", new Format());
        model.addAttribute("registry", view.location());
    }

    @GetMapping("/")
    String root() {
        return "redirect:/console";
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/console")
    String models(Model model) {
        List<RegistryView.ModelSummary> models = view.models();
        Map<String, RegistryView.VersionDetail> serving = new LinkedHashMap<>();
        for (RegistryView.ModelSummary m : models) {
            String production = m.aliases().get("production");
            if (production != null) {
                serving.put(m.name(), view.version(m.name(), production));
            }
        }
        model.addAttribute("models", models);
        model.addAttribute("serving", serving);
        model.addAttribute("policy", view.policy());
        model.addAttribute("webhooks", webhooks.statuses());
        return "models";
    }

    @GetMapping("/console/models/{name}")
    String model(@PathVariable String name, Model model) {
        RegistryView.ModelDetail detail = view.model(name);
        model.addAttribute("m", detail);
        model.addAttribute("timeline", Charts.timeline(detail.log(), Instant.now()));
        return "model";
    }

    @GetMapping("/console/models/{name}/versions/{version}")
    String version(@PathVariable String name, @PathVariable String version, Model model) {
        RegistryView.VersionDetail v = view.version(name, version);
        EvidenceView live = EvidenceView.of(evidence, v.manifest());
        Map<String, String> histograms = new LinkedHashMap<>();
        if (v.manifest().features() != null) {
            for (ModelManifest.FeatureSpec f : v.manifest().features()) {
                List<Charts.Series> series = new ArrayList<>();
                series.add(Charts.Series.of("training", f.histogram()));
                LiveEvidence.FeatureDrift d = live.drift().get(f.name());
                if (d != null && d.rows() > 0) {
                    series.add(new Charts.Series("live 7 d", d.edges(), d.live()));
                }
                histograms.put(f.name(), Charts.histograms(f.name(), series));
            }
        }
        model.addAttribute("v", v);
        model.addAttribute("mf", v.manifest());
        model.addAttribute("live", live);
        model.addAttribute("histograms", histograms);
        return "version";
    }

    /** The attached training report, sandboxed (no script, no same-origin rights) for the version page's frame. */
    @GetMapping(path = "/console/models/{name}/versions/{version}/report", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<byte[]> report(@PathVariable String name, @PathVariable String version) {
        return ResponseEntity.ok().header("Content-Security-Policy", "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'")
                .contentType(MediaType.TEXT_HTML).body(view.report(name, version));
    }

    @GetMapping("/console/models/{name}/compare")
    String compare(@PathVariable String name, @RequestParam String a, @RequestParam String b, Model model) {
        RegistryView.VersionDetail va = view.version(name, a);
        RegistryView.VersionDetail vb = view.version(name, b);
        Set<String> metrics = new LinkedHashSet<>();
        if (va.manifest().metrics() != null) {
            metrics.addAll(va.manifest().metrics().keySet());
        }
        if (vb.manifest().metrics() != null) {
            metrics.addAll(vb.manifest().metrics().keySet());
        }
        Set<String> features = new LinkedHashSet<>();
        for (RegistryView.VersionDetail v : List.of(va, vb)) {
            if (v.manifest().features() != null) {
                v.manifest().features().forEach(f -> features.add(f.name()));
            }
        }
        Map<String, String> histograms = new LinkedHashMap<>();
        for (String f : features) {
            ModelManifest.FeatureSpec fa = va.manifest().feature(f);
            ModelManifest.FeatureSpec fb = vb.manifest().feature(f);
            histograms.put(f, Charts.histograms(f, java.util.Arrays.asList(
                    fa == null ? null : Charts.Series.of(a, fa.histogram()), fb == null ? null : Charts.Series.of(b, fb.histogram()))));
        }
        model.addAttribute("name", name);
        model.addAttribute("a", va);
        model.addAttribute("b", vb);
        model.addAttribute("metrics", metrics);
        model.addAttribute("histograms", histograms);
        model.addAttribute("liveA", EvidenceView.of(evidence, va.manifest()));
        model.addAttribute("liveB", EvidenceView.of(evidence, vb.manifest()));
        return "compare";
    }

    @GetMapping("/console/models/{name}/timeline")
    String timeline(@PathVariable String name, @RequestParam(required = false) String alias, Model model) {
        RegistryView.ModelDetail detail = view.model(name);
        List<AliasMove> log = detail.log().stream().filter(m -> alias == null || alias.isBlank() || alias.equals(m.alias())).toList();
        model.addAttribute("m", detail);
        model.addAttribute("alias", alias);
        model.addAttribute("moves", log.reversed());
        model.addAttribute("timeline", Charts.timeline(log, Instant.now()));
        return "timeline";
    }

    @GetMapping("/console/datasets")
    String datasets(Model model) {
        model.addAttribute("configured", datasets.configured());
        model.addAttribute("location", datasets.location());
        model.addAttribute("snapshots", datasets.snapshots());
        return "datasets";
    }

    /** A missing model or version on a console page: the page says so, with the registry's message. */
    @org.springframework.web.bind.annotation.ExceptionHandler(RegistryException.class)
    String registryProblem(RegistryException e, Model model, jakarta.servlet.http.HttpServletResponse response) {
        common(model);
        response.setStatus(com.orderintel.registryserver.web.ApiErrors.status(e).value());
        model.addAttribute("problem", e.getMessage());
        return "problem";
    }
}
