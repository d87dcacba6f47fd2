package com.orderintel.advisor.support;

import com.orderintel.anomaly.AnomalyTraining;
import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.anomaly.IsolationForestTrainer;
import com.orderintel.dataset.DataGenerator;
import com.orderintel.dataset.Datasets;
import com.orderintel.dataset.DemandRow;
import com.orderintel.dataset.OrderRow;
import com.orderintel.forecast.DemandTraining;
import com.orderintel.forecast.LinearDemandModel;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelUri;
import com.orderintel.runner.ModelPackage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real models for the service tests: generated data, trained with the project's trainers, published to a
 * filesystem registry in a temp dir. The offline model objects are kept to compare served predictions with.
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
            DataGenerator.demand(demandCsv, 1500, 3, 11);
            DataGenerator.orders(ordersCsv, 4000, 0.05, 11);
            Datasets.Loaded<DemandRow> demand = Datasets.demand(demandCsv);
            Datasets.Loaded<OrderRow> orders = Datasets.orders(ordersCsv);
            this.demandRows = demand.rows();
            this.orderRows = orders.rows();
            this.store = FileSystemModelStore.at(dir.resolve("registry"));

            DemandTraining.Result d = new DemandTraining().train(demand, 0.2, 42);
            this.demandModel = d.model();
            this.demandManifest = ModelPackage.write(dir.resolve("pkg-demand"), d.trained(), "v1");
            this.demandUri = publish(dir.resolve("pkg-demand"), demandManifest).toString();

            AnomalyTraining.Result a = new AnomalyTraining().train(orders, new IsolationForestTrainer.Options(100, 0.05, 42));
            this.anomalyModel = a.model();
            this.anomalyManifest = ModelPackage.write(dir.resolve("pkg-anomaly"), a.trained(), "v1");
            this.anomalyUri = publish(dir.resolve("pkg-anomaly"), anomalyManifest).toString();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot prepare test models in " + dir, e);
        }
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

    /** Trains another anomaly model (different seed and tree count) and publishes it as {@code version}. */
    public Published publishAnomalyVersion(String version, long seed) {
        Datasets.Loaded<OrderRow> orders = Datasets.orders(dir.resolve("orders.csv"));
        AnomalyTraining.Result a = new AnomalyTraining().train(orders, new IsolationForestTrainer.Options(50, 0.05, seed));
        Path pkg = dir.resolve("pkg-anomaly-" + version);
        ModelManifest m = ModelPackage.write(pkg, a.trained(), version);
        return new Published(publish(pkg, m).toString(), a.model());
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
