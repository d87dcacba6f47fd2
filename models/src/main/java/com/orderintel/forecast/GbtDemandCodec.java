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
 * Binary artifact of {@link GbtDemandModel} (big-endian, DataOutput): magic {@code OIGB}, format version, the
 * feature names (checked against {@link GbtDemandFeatures#NAMES} so a reader never feeds features in the wrong
 * order), the flat trees, then each product's profile and history. Binary because the history of a 100k-row
 * training set would triple in size as JSON.
 */
public final class GbtDemandCodec implements ModelCodec {

    private static final int MAGIC = 0x4F494742; // "OIGB"
    private static final int VERSION = 1;
    private static final int MAX_NODES = 50_000_000;
    private static final int MAX_HISTORY = 100_000_000;

    @Override
    public String format() {
        return GbtDemandModel.FORMAT;
    }

    public static byte[] encode(FlatTreeEnsemble t, Map<String, ProductProfile> profiles) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeTrees(out, VERSION, GbtDemandFeatures.NAMES, t);
            Map<String, ProductProfile> sorted = new TreeMap<>(profiles);
            out.writeInt(sorted.size());
            for (var e : sorted.entrySet()) {
                ProductProfile p = e.getValue();
                out.writeUTF(e.getKey());
                out.writeDouble(p.mean());
                for (double d : p.dowMean()) {
                    out.writeDouble(d);
                }
                out.writeDouble(p.promoUplift());
                out.writeInt(p.days().length);
                for (int i = 0; i < p.days().length; i++) {
                    out.writeInt(p.days()[i]);
                    out.writeDouble(p.demand()[i]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Magic, format version, the feature names, then the flat trees: the part every {@code gbt-flat} version shares. */
    static void writeTrees(DataOutputStream out, int version, List<String> names, FlatTreeEnsemble t) throws IOException {
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
    static long treeBytes(long trees, long nodes) {
        return 4 * trees + nodes * (NODE_BYTES + 8 + 9);
    }

    /** A product's fixed heap in a {@link GbtDemandModel}: map entries, id, profile, 7 day means, array headers. */
    private static final long PRODUCT_OVERHEAD = 512;
    /** Per observation of history: day and demand (12 bytes) and its prefix sum (8). */
    private static final long OBSERVATION_BYTES = 20;

    /** The fewest bytes a product can take: an empty-id string length, mean, 7 day-of-week means, uplift, count, one observation. */
    private static final int MIN_PRODUCT_BYTES = 2 + 8 + 7 * 8 + 8 + 4 + (4 + 8);

    /** Within the {@link ServingBudget#DEFAULT default} serving budget. */
    @Override
    public GbtDemandModel decode(ModelManifest manifest, byte[] artifact) {
        return decode(manifest, artifact, ServingBudget.DEFAULT);
    }

    /**
     * Checks before it allocates: every count is compared with the bytes actually left, so an array is only
     * allocated when the artifact holds its content. The trees' structure (acyclic, bounded depth, features in
     * range, finite values) is checked by {@link FlatTreeEnsemble}'s constructor, each product by
     * {@link ProductProfile}'s. Every failure is a {@link RegistryException} ({@code CORRUPT_ARTIFACT}). Memory is
     * checked against {@code budget} before it is allocated: the trees from their counts, then the products and
     * their histories as each length is read ({@code TOO_LARGE}).
     */
    @Override
    public GbtDemandModel decode(ModelManifest manifest, byte[] artifact, ServingBudget budget) {
        return BinaryArtifacts.decode(manifest, artifact, (in, what) -> {
            FlatTreeEnsemble ensemble = readTrees(in, VERSION, GbtDemandFeatures.NAMES, GbtDemandModel.FORMAT, what, budget);
            int products = in.readInt();
            if (products <= 0 || products > 10_000_000) {
                throw corrupt(what, "implausible product count " + products);
            }
            need(in, (long) products * MIN_PRODUCT_BYTES, products + " products", what);
            long treeBytes = treeBytes(ensemble.roots().length, ensemble.nodes());
            budget.check(treeBytes + products * PRODUCT_OVERHEAD, what, products + " products and the trees");
            Map<String, ProductProfile> profiles = new TreeMap<>();
            long history = 0;
            for (int k = 0; k < products; k++) {
                String id = in.readUTF();
                double mean = in.readDouble();
                double[] dow = new double[7];
                for (int d = 0; d < 7; d++) {
                    dow[d] = in.readDouble();
                }
                double uplift = in.readDouble();
                int n = in.readInt();
                history += n;
                if (n <= 0 || history > MAX_HISTORY) {
                    throw corrupt(what, "implausible history length " + n + " for product '" + id + "'");
                }
                need(in, 12L * n, "the history of product '" + id + "' (" + n + " observations)", what);
                budget.check(treeBytes + products * PRODUCT_OVERHEAD + history * OBSERVATION_BYTES, what, products
                        + " products with " + history + " observations of history so far, and the trees");
                int[] days = new int[n];
                double[] demand = new double[n];
                for (int i = 0; i < n; i++) {
                    days[i] = in.readInt();
                    demand[i] = in.readDouble();
                }
                try {
                    profiles.put(id, new ProductProfile(mean, dow, uplift, days, demand));
                } catch (IllegalArgumentException e) {
                    throw corrupt(what, "product '" + id + "': " + e.getMessage());
                }
            }
            return new GbtDemandModel(manifest, ensemble, profiles);
        });
    }

    /**
     * Reads what {@link #writeTrees} wrote, checking magic, version and feature names, and every count against the
     * bytes left before allocating; the trees' structure is checked by {@link FlatTreeEnsemble}'s constructor.
     */
    static FlatTreeEnsemble readTrees(DataInputStream in, int expectedVersion, List<String> expectedNames, String format,
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
        need(in, 4L * trees + 4, trees + " tree roots", what);
        int[] roots = new int[trees];
        for (int t = 0; t < trees; t++) {
            roots[t] = in.readInt();
        }
        int nodes = in.readInt();
        if (nodes <= 0 || nodes > MAX_NODES) {
            throw corrupt(what, "implausible node count " + nodes);
        }
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
