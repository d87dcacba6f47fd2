package com.orderintel.models;

import com.orderintel.anomaly.IsolationForestCodec;
import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.forecast.DemandFeatures;
import com.orderintel.forecast.DecomposedGbtCodec;
import com.orderintel.forecast.DecomposedGbtDemandModel;
import com.orderintel.forecast.LinearDemandCodec;
import com.orderintel.forecast.LinearDemandModel;
import com.orderintel.registry.FileSystemModelStore;
import com.orderintel.registry.Manifests;
import com.orderintel.registry.ModelLoader;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.ServingBudget;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Valid artifacts that are too large to serve: each codec computes what its serving form would take (the
 * complete-tree padding of an isolation forest included) and refuses it with {@code TOO_LARGE} before allocating
 * it. Allocation is measured per thread (HotSpot's ThreadMXBean), as in {@link CorruptArtifactFuzzTest}.
 */
@Tag("attack")
class ServingBudgetAttackTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    /**
     * {@code trees} chain trees of {@code depth} splits (each split: a leaf on the left, the next split on the
     * right), axis-aligned on three features: a valid forest of 2 * depth + 1 nodes a tree, which the fast scoring
     * layout pads to 2^(depth+1) - 1 slots a tree.
     */
    static RawArtifacts.IforestRaw chains(int trees, int depth) {
        int per = 2 * depth + 1;
        RawArtifacts.IforestRaw f = new RawArtifacts.IforestRaw(3, 256, -0.5, trees, trees * per);
        for (int t = 0; t < trees; t++) {
            int b = t * per;
            f.roots[t] = b;
            for (int d = 0; d < depth; d++) {
                f.split(b + 2 * d, b + 2 * d + 1, b + 2 * d + 2, d % 3, d + 1.0, 1.0);
                f.leaf(b + 2 * d + 1, d + 1.0);
            }
            f.leaf(b + per - 1, depth);
        }
        return f;
    }

    private static ModelManifest manifest(String format, ModelManifest.Task task, byte[] artifact) {
        ModelManifest m = Manifests.forArtifact("order-anomaly", "crafted", artifact);
        return new ModelManifest(m.schemaVersion(), m.name(), m.version(), task, m.algorithm(), m.target(), m.features(),
                m.metrics(), m.dataset(), m.gitCommit(), m.createdAt(),
                new ModelManifest.ArtifactRef("model.bin", format, m.artifact().sha256(), m.artifact().size()),
                m.libraries(), m.extensions());
    }

    /**
     * Runs {@code decode}, which must throw, and returns the bytes this thread allocated meanwhile (the second run:
     * the first loads classes and builds the exception's message machinery).
     */
    private static long allocatedWhileRefused(Supplier<Object> decode, String... messageParts) {
        try {
            decode.get();
        } catch (RuntimeException warmUp) {
            // measured below
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
            decode.get();
        } catch (Throwable t) {
            thrown = t;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("refused after allocating %,d bytes: %s%n", allocated, thrown == null ? "(nothing thrown)" : thrown.getMessage());
        assertThat(thrown).isInstanceOf(RegistryException.class);
        assertThat(((RegistryException) thrown).reason()).as(thrown.getMessage()).isEqualTo(RegistryException.Reason.TOO_LARGE);
        assertThat(thrown.getMessage()).contains(messageParts);
        return allocated;
    }

    @Test
    void thirtyThousandChainTreesAreRefusedBeforeTheirCompleteTreeLayout() {
        byte[] artifact = chains(30_000, 12).bytes();
        assertThat(artifact.length).as("a 36 MB artifact").isBetween(35_000_000, 37_000_000);
        ModelManifest m = manifest(IsolationForestModel.FORMAT, ModelManifest.Task.ANOMALY, artifact);
        long allocated = allocatedWhileRefused(() -> new IsolationForestCodec().decode(m, artifact, ServingBudget.DEFAULT),
                "artifact of model 'order-anomaly' version 'crafted' is too large to serve", "30000 trees",
                "complete trees of depth 12", "MODEL_MAX_SERVING_BYTES");
        System.out.printf("30,000 chain trees: %,d-byte artifact refused after allocating %,d bytes%n", artifact.length, allocated);
        // the padded layout alone would be 30,000 x 167,903 bytes = 5.0 GB at its peak: about 140 times the artifact
        assertThat(allocated).as("allocated before the refusal").isLessThan(2L * artifact.length);
    }

    @Test
    void aSmallArtifactWhosePaddedTreesExceedTheBudgetIsRefused() {
        // 2,000 chains: a 2.4 MB artifact whose flat form (about 4 MB) fits the budget; padded, 336 MB would not
        byte[] artifact = chains(2_000, 12).bytes();
        ModelManifest m = manifest(IsolationForestModel.FORMAT, ModelManifest.Task.ANOMALY, artifact);
        long allocated = allocatedWhileRefused(() -> new IsolationForestCodec().decode(m, artifact, ServingBudget.DEFAULT),
                "2000 trees of 50000 nodes", "padded to complete trees of depth 12 for scoring: 335806000 bytes");
        assertThat(allocated).isLessThan(4L * artifact.length);

        // the same trees at depth 8 (what our trainer exports: log2 of a 256-row subsample) fit and serve
        byte[] normal = chains(2_000, 8).bytes();
        IsolationForestModel model = new IsolationForestCodec().decode(manifest(IsolationForestModel.FORMAT,
                ModelManifest.Task.ANOMALY, normal), normal, ServingBudget.DEFAULT);
        assertThat(model.decision(new double[] {5, 5, 5})).isFinite();
    }

    @Test
    void theFlatFormIsCheckedFromTheHeaderBeforeItsArraysAreAllocated() {
        byte[] artifact = chains(2_000, 6).bytes();
        ModelManifest m = manifest(IsolationForestModel.FORMAT, ModelManifest.Task.ANOMALY, artifact);
        long allocated = allocatedWhileRefused(() -> new IsolationForestCodec().decode(m, artifact, new ServingBudget(1 << 20)),
                "2000 trees of 26000 nodes in all, before their complete-tree layout", "above the serving budget of 1048576");
        assertThat(allocated).as("only the roots were read").isLessThan(64 * 1024);
    }

    @Test
    void aDeepChainIsRefusedAsCorrupt() {
        byte[] artifact = chains(1, 600).bytes();
        ModelManifest m = manifest(IsolationForestModel.FORMAT, ModelManifest.Task.ANOMALY, artifact);
        assertThatThrownBy(() -> new IsolationForestCodec().decode(m, artifact, ServingBudget.DEFAULT))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.CORRUPT_ARTIFACT))
                .hasMessageContaining("deeper than 512");
    }

    @Test
    void aDemandTreeArtifactWithManyProductsIsRefusedBeforeTheirBaselinesAreRead() {
        RawArtifacts.GbtRaw g = new RawArtifacts.GbtRaw(1, 3);
        g.base = 1;
        g.shrinkage = 0.1;
        g.split(0, 0, 1.0, 1, 2);
        g.leaf(1, 1);
        g.leaf(2, 2);
        double[] baseline = {19_800, 50, 0.01, 1.0, 85, 2.3, 6, -2, 0, 1, -1, 0.5, 2, 9, 7, 30, 50};
        for (int i = 0; i < 20_000; i++) {
            g.baselines.put("SKU-" + i, baseline);
        }
        byte[] artifact = g.bytes();
        ModelManifest m = manifest(DecomposedGbtDemandModel.FORMAT, ModelManifest.Task.REGRESSION, artifact);
        long allocated = allocatedWhileRefused(() -> new DecomposedGbtCodec().decode(m, artifact, new ServingBudget(1 << 20)),
                "20000 products and the trees");
        assertThat(allocated).as("the baselines were not built").isLessThan(64 * 1024);
        assertThat(new DecomposedGbtCodec().decode(m, artifact, ServingBudget.DEFAULT).manifest().version()).isEqualTo("crafted");
    }

    @Test
    void aLinearDocumentTooLargeToServeIsRefusedBeforeItIsParsed() {
        Map<String, LinearDemandModel.Coefficients> products = new LinkedHashMap<>();
        for (int i = 0; i < 200_000; i++) {
            products.put("P" + i, new LinearDemandModel.Coefficients(1, new double[DemandFeatures.NAMES.size()]));
        }
        byte[] artifact = LinearDemandCodec.encode(products);
        ModelManifest m = manifest(LinearDemandModel.FORMAT, ModelManifest.Task.REGRESSION, artifact);
        long allocated = allocatedWhileRefused(() -> new LinearDemandCodec().decode(m, artifact, ServingBudget.DEFAULT),
                "products in a " + artifact.length + "-byte document");
        assertThat(allocated).as("not parsed").isLessThan(64 * 1024);
    }

    @Test
    void theLoaderRefusesADeclaredArtifactSizeAboveTheBudgetBeforeReadingIt() throws Exception {
        byte[] artifact = chains(50, 8).bytes();
        ModelManifest m = manifest(IsolationForestModel.FORMAT, ModelManifest.Task.ANOMALY, artifact);
        Path file = Files.write(dir.resolve("model.bin"), artifact);
        FileSystemModelStore store = FileSystemModelStore.at(dir.resolve("registry"));
        store.publish(m, file);
        store.promote("order-anomaly", "production", "crafted");
        String uri = store.location().replaceAll("/$", "") + "/order-anomaly@production";

        assertThat(ModelLoader.load(uri, ServingBudget.DEFAULT).manifest().version()).isEqualTo("crafted");
        assertThatThrownBy(() -> ModelLoader.load(uri, new ServingBudget(artifact.length - 1)))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.TOO_LARGE))
                .hasMessageContaining("the artifact's own bytes, as its manifest declares them");
    }
}
