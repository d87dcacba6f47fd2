package com.orderintel.forecast;

import com.orderintel.registry.BinaryArtifacts;
import com.orderintel.registry.ModelCodec;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.ServingBudget;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import static com.orderintel.registry.BinaryArtifacts.corrupt;
import static com.orderintel.registry.BinaryArtifacts.need;

/**
 * Binary artifact of {@link DecomposedGbtDemandModel} ({@code gbt-flat/v2}, big-endian, DataOutput): the same magic,
 * feature-name check and flat trees as {@code gbt-flat/v1} ({@link GbtDemandCodec}, version 2 and
 * {@link DecomposedGbtFeatures#NAMES}), then per product its id and the {@value ProductBaseline#VALUES} doubles of
 * its {@link ProductBaseline}. No training history: the level line replaces the lag features, so the artifact is a
 * few hundred KB whatever the training set's size.
 */
public final class DecomposedGbtCodec implements ModelCodec {

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
            GbtDemandCodec.writeTrees(out, VERSION, DecomposedGbtFeatures.NAMES, t);
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

    /** Within the {@link ServingBudget#DEFAULT default} serving budget. */
    @Override
    public DecomposedGbtDemandModel decode(ModelManifest manifest, byte[] artifact) {
        return decode(manifest, artifact, ServingBudget.DEFAULT);
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
            FlatTreeEnsemble ensemble = GbtDemandCodec.readTrees(in, VERSION, DecomposedGbtFeatures.NAMES,
                    DecomposedGbtDemandModel.FORMAT, what, budget);
            int products = in.readInt();
            if (products <= 0 || products > 10_000_000) {
                throw corrupt(what, "implausible product count " + products);
            }
            need(in, (long) products * PRODUCT_BYTES, products + " products", what);
            budget.check(GbtDemandCodec.treeBytes(ensemble.roots().length, ensemble.nodes()) + products * PRODUCT_HEAP,
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
}
