package com.orderintel.registryserver.models;

import com.orderintel.registry.AliasMove;
import com.orderintel.registry.AliasPolicy;
import com.orderintel.registry.AliasState;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.PromotionRequest;
import com.orderintel.registry.RegistryException;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The read side of the registry as the API and the console show it: models, versions, aliases and their log. */
@Service
public class RegistryView {

    private final ModelStore store;

    public RegistryView(ModelStore store) {
        this.store = store;
    }

    /** One model: its task, how many versions, where each alias points, the newest version and pending requests. */
    public record ModelSummary(String name, ModelManifest.Task task, int versions, Map<String, String> aliases, String latest,
                               Instant latestCreatedAt, int pendingRequests) { }

    /** One version as listed: when, which algorithm, its metrics and the aliases pointing at it. */
    public record VersionRow(String version, Instant createdAt, String algorithm, Map<String, Double> metrics, List<String> aliases) {
        static VersionRow of(ModelStore.ModelVersionInfo v) {
            ModelManifest m = v.manifest();
            return new VersionRow(v.version(), m.createdAt(), m.algorithm() == null ? null : m.algorithm().name(),
                    m.metrics() == null ? Map.of() : m.metrics(), v.aliases());
        }
    }

    /** A model with every version (newest first), its aliases, their log (oldest first) and pending requests. */
    public record ModelDetail(String name, ModelManifest.Task task, Map<String, String> aliases, List<String> guarded,
                              List<VersionRow> versions, List<AliasMove> log, List<PromotionRequest> requests) { }

    /** A version's manifest, the aliases on it and whether its training report is attached. */
    public record VersionDetail(String model, String version, ModelManifest manifest, List<String> aliases, boolean report) { }

    public List<ModelSummary> models() {
        Map<String, List<ModelStore.ModelVersionInfo>> byModel = byModel();
        return byModel.entrySet().stream().map(e -> {
            List<ModelStore.ModelVersionInfo> versions = e.getValue();
            AliasState aliases = store.aliases(e.getKey());
            ModelStore.ModelVersionInfo latest = versions.getFirst();
            return new ModelSummary(e.getKey(), latest.manifest().task(), versions.size(), new TreeMap<>(aliases.current()),
                    latest.version(), latest.manifest().createdAt(), aliases.requests().size());
        }).toList();
    }

    public ModelDetail model(String name) {
        List<ModelStore.ModelVersionInfo> versions = byModel().get(name);
        if (versions == null) {
            throw new RegistryException(RegistryException.Reason.NOT_FOUND, "no model '" + name + "' in registry "
                    + ModelUri.redact(store.location()));
        }
        AliasState aliases = store.aliases(name);
        AliasPolicy policy = store.policy();
        return new ModelDetail(name, versions.getFirst().manifest().task(), new TreeMap<>(aliases.current()),
                policy.approval(), versions.stream().map(VersionRow::of).toList(), aliases.log(), aliases.requests());
    }

    public VersionDetail version(String name, String version) {
        ModelManifest manifest = store.manifest(new ModelUri(store.location(), name, version, null));
        AliasState aliases = store.aliases(name);
        return new VersionDetail(name, version, manifest, aliases.aliasesOf(version),
                store.attachment(name, version, REPORT).isPresent());
    }

    public static final String REPORT = "report.html";

    /** The training report attached to a version, or NOT_FOUND. */
    public byte[] report(String name, String version) {
        return store.attachment(name, version, REPORT).orElseThrow(() -> new RegistryException(RegistryException.Reason.NOT_FOUND,
                "version '" + version + "' of model '" + name + "' has no training report (publish the directory 'train' wrote)"));
    }

    public AliasState aliases(String name) {
        return store.aliases(name);
    }

    public AliasPolicy policy() {
        return store.policy();
    }

    /** Every version of every model, grouped by model (sorted), newest first. */
    public Map<String, List<ModelStore.ModelVersionInfo>> byModel() {
        Map<String, List<ModelStore.ModelVersionInfo>> out = new LinkedHashMap<>();
        store.list().stream().sorted(Comparator.comparing(ModelStore.ModelVersionInfo::name))
                .forEach(v -> out.computeIfAbsent(v.name(), k -> new java.util.ArrayList<>()).add(v));
        return out;
    }

    public String location() {
        return ModelUri.redact(store.location());
    }
}
