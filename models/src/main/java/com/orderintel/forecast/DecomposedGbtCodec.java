package com.orderintel.forecast;

import com.orderintel.registry.BinaryArtifacts;
import com.orderintel.registry.ModelCodec;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.ServingBudget;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.orderintel.registry.BinaryArtifacts.corrupt;
import static com.orderintel.registry.BinaryArtifacts.need;

/**
 * Binary artifact of {@link DecomposedGbtDemandModel} ({@code gbt-flat/v2}, big-endian, DataOutput): magic
 * {@code OIGB}, format version 2, the feature names (checked against {@link DecomposedGbtFeatures#NAMES} so a reader
 * never feeds features in the wrong order), the flat trees, then per product its id and the
 * {@value ProductBaseline#VALUES} doubles of its {@link ProductBaseline}. No training history: the level line replaces the lag features, so the artifact is a
 * few hundred KB whatever the training set's size.
 */
public final class DecomposedGbtCodec implements ModelCodec<DecomposedGbtDemandModel> {

    private static final int MAGIC = 0x4F494742; // "OIGB"
    static final int VERSION = 2;
    /** A product's heap in the serving form: map entry, id, its baseline's doubles and object headers. */
    private static final long PRODUCT_HEAP = 256 + 8L * ProductBaseline.VALUES;
    /** The fewest bytes a product can take: an empty id's length, then its doubles. */
    private static final int PRODUCT_BYTES = 2 + 8 * ProductBaseline.VALUES;

    @Override
    public String format() {
        return DecomposedGbtDemandModel.FORMAT;
    }

    public static byte[] encode(FlatTreeEnsemble t, Map<String, ProductBaseline> baselines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeTrees(out, VERSION, DecomposedGbtFeatures.NAMES, t);
            Map<String, ProductBaseline> sorted = new TreeMap<>(baselines);
            out.writeInt(sorted.size());
            for (var e : sorted.entrySet()) {
                out.writeUTF(e.getKey());
                for (double v : e.getValue().values()) {
                    out.writeDouble(v);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Every count is checked against the bytes left before anything is allocated; the trees' structure by
     * {@link FlatTreeEnsemble}, each product's coefficients (finite, bounded, positive floor) by
     * {@link ProductBaseline}. Every failure is a {@link RegistryException} ({@code CORRUPT_ARTIFACT}). The trees'
     * and the products' memory is checked against {@code budget} before either is allocated ({@code TOO_LARGE}).
     */
    @Override
    public DecomposedGbtDemandModel decode(ModelManifest manifest, byte[] artifact, ServingBudget budget) {
        return BinaryArtifacts.decode(manifest, artifact, (in, what) -> {
            FlatTreeEnsemble ensemble = readTrees(in, VERSION, DecomposedGbtFeatures.NAMES,
                    DecomposedGbtDemandModel.FORMAT, what, budget);
            int products = in.readInt();
            if (products <= 0 || products > 10_000_000) {
                throw corrupt(what, "implausible product count " + products);
            }
            need(in, (long) products * PRODUCT_BYTES, products + " products", what);
            budget.check(treeBytes(ensemble.roots().length, ensemble.nodes()) + products * PRODUCT_HEAP,
                    what, products + " products and the trees");
            Map<String, ProductBaseline> baselines = new TreeMap<>();
            double[] v = new double[ProductBaseline.VALUES];
            for (int k = 0; k < products; k++) {
                String id = in.readUTF();
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readDouble();
                }
                if (baselines.containsKey(id)) {
                    throw corrupt(what, "product '" + id + "' appears twice");
                }
                try {
                    baselines.put(id, ProductBaseline.of(v));
                } catch (IllegalArgumentException e) {
                    throw corrupt(what, "product '" + id + "': " + e.getMessage());
                }
            }
            return new DecomposedGbtDemandModel(manifest, ensemble, baselines);
        });
    }

    /** Magic, format version, the feature names, then the flat trees. */
    private static void writeTrees(DataOutputStream out, int version, List<String> names, FlatTreeEnsemble t) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(version);
        out.writeInt(names.size());
        for (String name : names) {
            out.writeUTF(name);
        }
        out.writeDouble(t.base());
        out.writeDouble(t.shrinkage());
        out.writeInt(t.roots().length);
        for (int r : t.roots()) {
            out.writeInt(r);
        }
        out.writeInt(t.nodes());
        for (int i = 0; i < t.nodes(); i++) {
            out.writeInt(t.feature()[i]);
            out.writeDouble(t.threshold()[i]);
            out.writeInt(t.left()[i]);
            out.writeInt(t.right()[i]);
            out.writeDouble(t.value()[i]);
        }
    }

    /** Bytes per node: feature (int), threshold (double), left, right (int), value (double). */
    private static final int NODE_BYTES = 4 + 8 + 4 + 4 + 8;
    /**
     * Heap of the serving trees: roots, per node its five arrays (28 bytes), the path contributions' expectation
     * (8) and the shape check's work arrays (9). GBT trees are walked as they are: no padded layout.
     */
    private static long treeBytes(long trees, long nodes) {
        return 4 * trees + nodes * (NODE_BYTES + 8 + 9);
    }

    /**
     * Reads what {@link #writeTrees} wrote, checking magic, version and feature names, and every count against the
     * bytes left before allocating; the trees' structure is checked by {@link FlatTreeEnsemble}'s constructor.
     */
    private static FlatTreeEnsemble readTrees(DataInputStream in, int expectedVersion, List<String> expectedNames, String format,
                                  String what, ServingBudget budget) throws IOException {
        if (in.readInt() != MAGIC) {
            throw corrupt(what, "it is not a " + format + " file (bad magic number)");
        }
        int version = in.readInt();
        if (version != expectedVersion) {
            throw corrupt(what, "format version " + version + " is not " + format + " (version " + expectedVersion + ")");
        }
        int p = in.readInt();
        if (p != expectedNames.size()) {
            throw corrupt(what, "it has " + p + " features, this reader knows " + expectedNames);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            names.add(in.readUTF());
        }
        if (!names.equals(expectedNames)) {
            throw corrupt(what, "features " + names + " differ from " + expectedNames);
        }
        double base = in.readDouble();
        double shrinkage = in.readDouble();
        int trees = in.readInt();
        if (trees <= 0 || trees > 100_000) {
            throw corrupt(what, "implausible tree count " + trees);
        }
        BinaryArtifacts.TreeIndex index = BinaryArtifacts.readTreeIndex(in, trees, what);
        int[] roots = index.roots();
        int nodes = index.nodes();
        need(in, (long) nodes * NODE_BYTES + 4, nodes + " nodes", what);
        budget.check(treeBytes(trees, nodes), what, trees + " trees of " + nodes + " nodes in all");
        int[] feature = new int[nodes];
        double[] threshold = new double[nodes];
        int[] left = new int[nodes];
        int[] right = new int[nodes];
        double[] value = new double[nodes];
        for (int i = 0; i < nodes; i++) {
            feature[i] = in.readInt();
            threshold[i] = in.readDouble();
            left[i] = in.readInt();
            right[i] = in.readInt();
            value[i] = in.readDouble();
        }
        return new FlatTreeEnsemble(p, base, shrinkage, roots, feature, threshold, left, right, value);
    }
}
