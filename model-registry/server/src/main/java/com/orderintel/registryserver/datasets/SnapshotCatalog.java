package com.orderintel.registryserver.datasets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.orderintel.registry.AliasMove;
import com.orderintel.registry.AliasState;
import com.orderintel.registry.BlobStore;
import com.orderintel.registry.FileBlobStore;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.S3BlobStore;
import com.orderintel.registry.S3Settings;
import com.orderintel.registryserver.RegistryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Dataset snapshots under {@code REGISTRY_DATASETS_URI} ({@code <uri>/datasets/<name>/<id>/manifest.yaml}) with their
 * lineage: the model versions trained on each (the manifest's dataset sha256 is one of the snapshot's files, or its
 * dataset URI lies under the snapshot) and the aliases that served those versions (every move to them in the log).
 */
@Service
public class SnapshotCatalog implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SnapshotCatalog.class);
    /** A snapshot manifest is small; one above this is not read. */
    static final int MAX_MANIFEST_BYTES = 1 << 20;
    /** Snapshots listed at most (newest first). */
    static final int MAX_SNAPSHOTS = 500;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final BlobStore blobs;
    private final String location;
    private final ModelStore store;

    public SnapshotCatalog(RegistryProperties properties, ModelStore store) {
        this.store = store;
        this.location = properties.datasetsUri() == null || properties.datasetsUri().isBlank() ? null
                : strip(properties.datasetsUri());
        this.blobs = location == null ? null : open(location);
    }

    private static BlobStore open(String location) {
        URI uri = URI.create(location);
        return switch (uri.getScheme() == null ? "" : uri.getScheme()) {
            case "file" -> new FileBlobStore(Path.of(uri));
            case "s3" -> new S3BlobStore(S3Settings.fromEnvironment().newClient(), uri.getAuthority(),
                    uri.getPath() == null || uri.getPath().length() <= 1 ? "" : uri.getPath().substring(1) + "/", true);
            default -> throw new IllegalArgumentException("REGISTRY_DATASETS_URI must be file:///... or s3://bucket/prefix, not "
                    + ModelUri.redact(location));
        };
    }

    /** A model version trained on a snapshot and the aliases that served it (current ones first). */
    public record Trained(String model, String version, Instant createdAt, List<String> servedBy) { }

    public record Snapshot(SnapshotView manifest, String uri, List<Trained> trained) { }

    public boolean configured() {
        return blobs != null;
    }

    public String location() {
        return location == null ? null : ModelUri.redact(location);
    }

    /** Every snapshot (newest first) with its lineage. */
    public List<Snapshot> snapshots() {
        if (blobs == null) {
            return List.of();
        }
        List<ModelStore.ModelVersionInfo> versions = store.list();
        Map<String, AliasState> aliases = new java.util.HashMap<>();
        List<Snapshot> out = new ArrayList<>();
        for (String key : blobs.list("datasets/")) {
            String[] parts = key.split("/");
            if (parts.length != 4 || !parts[3].equals("manifest.yaml") || out.size() >= MAX_SNAPSHOTS) {
                continue;
            }
            SnapshotView view;
            try {
                view = read(key);
            } catch (RuntimeException e) {
                log.warn("snapshot manifest {} skipped: {}", blobs.describe(key), e.getMessage());
                continue;
            }
            String dir = location + "/datasets/" + parts[1] + "/" + parts[2] + "/";
            out.add(new Snapshot(view, dir, lineage(view, dir, versions, aliases)));
        }
        out.sort(Comparator.comparing((Snapshot s) -> s.manifest().createdAt(), Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    private SnapshotView read(String key) {
        byte[] bytes = blobs.get(key, MAX_MANIFEST_BYTES, size -> size <= MAX_MANIFEST_BYTES ? null
                : new RegistryException(RegistryException.Reason.TOO_LARGE, blobs.describe(key) + " is " + size + " bytes"))
                .orElseThrow(() -> new RegistryException(RegistryException.Reason.NOT_FOUND, blobs.describe(key) + " is gone")).bytes();
        try {
            return YAML.readValue(bytes, SnapshotView.class);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Reason.INVALID_MANIFEST, "unreadable: " + e.getMessage(), e);
        }
    }

    private List<Trained> lineage(SnapshotView view, String dir, List<ModelStore.ModelVersionInfo> versions, Map<String, AliasState> aliases) {
        Set<String> shas = new LinkedHashSet<>();
        if (view.parts() != null) {
            view.parts().values().stream().filter(p -> p.files() != null).flatMap(p -> p.files().stream())
                    .map(SnapshotView.FileEntry::sha256).filter(Objects::nonNull).forEach(shas::add);
        }
        List<Trained> out = new ArrayList<>();
        for (ModelStore.ModelVersionInfo v : versions) {
            ModelManifest.DatasetRef d = v.manifest().dataset();
            if (d == null || !(shas.contains(d.sha256()) || (d.uri() != null && d.uri().startsWith(dir)))) {
                continue;
            }
            AliasState state = aliases.computeIfAbsent(v.name(), store::aliases);
            Set<String> served = new LinkedHashSet<>(v.aliases());
            state.log().stream().filter(m -> m.moved() && v.version().equals(m.to())).map(AliasMove::alias).forEach(served::add);
            out.add(new Trained(v.name(), v.version(), v.manifest().createdAt(), List.copyOf(served)));
        }
        return out;
    }

    private static String strip(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void destroy() {
        if (blobs != null) {
            blobs.close();
        }
    }
}
