package com.orderintel.advisor.support;

import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.LinearDemandModel;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.ModelCodecs;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelUri;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real models for the service tests: packages trained by the training runner (committed under
 * {@code src/test/resources/models}, made by its {@code regenerate.sh}, checked reproducible by training-runner's
 * ServiceFixturesTest), published to a filesystem registry in a temp dir, with the data they were trained on
 * regenerated from the same seeds. The service never has training code on its class path, tests included.
 */
public final class TrainedModels {

    public final Path dir;
    public final FileSystemModelStore store;
    public final List<DemandRow> demandRows;
    public final List<OrderRow> orderRows;
    public final LinearDemandModel demandModel;
    public final IsolationForestModel anomalyModel;
    public final ModelManifest demandManifest;
    public final ModelManifest anomalyManifest;
    public final String demandUri;
    public final String anomalyUri;

    private TrainedModels(Path dir) {
        try {
            this.dir = dir;
            Path demandCsv = dir.resolve("demand.csv");
            Path ordersCsv = dir.resolve("orders.csv");
            // the seeds and sizes regenerate.sh trains the fixtures on
            DataGenerator.demand(demandCsv, 1500, 3, 11);
            DataGenerator.orders(ordersCsv, 4000, 0.05, 11);
            this.demandRows = Datasets.demand(demandCsv).rows();
            this.orderRows = Datasets.orders(ordersCsv).rows();
            this.store = FileSystemModelStore.at(dir.resolve("registry"));

            Path demandPkg = fixture("demand-v1");
            this.demandManifest = manifest(demandPkg);
            this.demandModel = (LinearDemandModel) decode(demandPkg, demandManifest);
            this.demandUri = publish(demandPkg, demandManifest).toString();

            Path anomalyPkg = fixture("anomaly-v1");
            this.anomalyManifest = manifest(anomalyPkg);
            this.anomalyModel = (IsolationForestModel) decode(anomalyPkg, anomalyManifest);
            this.anomalyUri = publish(anomalyPkg, anomalyManifest).toString();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot prepare test models in " + dir, e);
        }
    }

    /** Points the app (from a {@code @DynamicPropertySource}) at both models published here. */
    public void serveBoth(DynamicPropertyRegistry r) {
        r.add("advisor.models.demand-uri", () -> demandUri);
        r.add("advisor.models.anomaly-uri", () -> anomalyUri);
    }

    public static TrainedModels create() {
        try {
            Path dir = Files.createTempDirectory("advisor-models-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return new TrainedModels(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A further published anomaly model version and its offline form. */
    public record Published(String uri, IsolationForestModel model) { }

    /** Publishes the fixture anomaly model of that version ({@code v2}: 50 trees, seed 7; {@code v3}: seed 8). */
    public Published publishAnomalyVersion(String version) {
        Path pkg = fixture("anomaly-" + version);
        ModelManifest m = manifest(pkg);
        return new Published(publish(pkg, m).toString(), (IsolationForestModel) decode(pkg, m));
    }

    /**
     * Publishes a deliberately worse anomaly model as {@code version}: the v1 forest with its decision threshold
     * (offset) moved by {@code offsetShift}, so it flags many normal orders (a candidate the gate must refuse).
     */
    public Published publishShiftedAnomaly(String version, double offsetShift) {
        try {
            Path pkg = Files.createDirectories(dir.resolve("pkg-" + version));
            byte[] artifact = com.orderintel.anomaly.IsolationForestCodec.encode(anomalyModel.forest(),
                    anomalyModel.offset() + offsetShift);
            ModelManifest m = anomalyManifest;
            ModelManifest shifted = new ModelManifest(m.schemaVersion(), m.name(), version, m.task(), m.algorithm(),
                    m.target(), m.features(), m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(),
                    new ModelManifest.ArtifactRef(m.artifact().file(), m.artifact().format(),
                            com.orderintel.registry.Checksums.sha256(artifact), artifact.length),
                    m.libraries(), m.extensions());
            Files.write(pkg.resolve(m.artifact().file()), artifact);
            return new Published(publish(pkg, shifted).toString(), (IsolationForestModel) decode(pkg, shifted));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory of a committed model package. */
    public static Path fixture(String name) {
        try {
            return Path.of(TrainedModels.class.getResource("/models/" + name + "/" + ManifestCodec.FILE_NAME).toURI()).getParent();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test model package models/" + name + " (see models/regenerate.sh)", e);
        }
    }

    public static ModelManifest manifest(Path pkg) {
        try {
            Path m = pkg.resolve(ManifestCodec.FILE_NAME);
            return ManifestCodec.read(Files.readAllBytes(m), m.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object decode(Path pkg, ModelManifest manifest) {
        try {
            return ModelCodecs.decode(manifest, Files.readAllBytes(pkg.resolve(manifest.artifact().file())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }

    public ModelUri publish(Path pkg, ModelManifest manifest) {
        return store.publish(manifest, pkg.resolve(manifest.artifact().file()));
    }

    public String registryLocation() {
        String loc = store.location();
        return loc.endsWith("/") ? loc.substring(0, loc.length() - 1) : loc;
    }

    /** Flips one byte of a published artifact, as a corrupted upload would. */
    public void corrupt(String version, String name, String file) {
        try {
            Path artifact = dir.resolve("registry").resolve(version).resolve(name).resolve(file);
            byte[] bytes = Files.readAllBytes(artifact);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(artifact, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
