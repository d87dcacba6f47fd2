package com.orderintel.anomaly;

import com.orderintel.registry.BinaryArtifacts;
import com.orderintel.registry.ModelCodec;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.ServingBudget;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static com.orderintel.registry.BinaryArtifacts.corrupt;
import static com.orderintel.registry.BinaryArtifacts.need;

/**
 * Binary artifact of {@link IsolationForestModel}: magic {@code OIIF}, format version, then the flat arrays
 * (big-endian, DataOutput). JSON would be ~3x larger for 200 trees and slower to load.
 */
public final class IsolationForestCodec implements ModelCodec<IsolationForestModel> {

    private static final int MAGIC = 0x4F494946; // "OIIF"
    private static final int VERSION = 1;

    @Override
    public String format() {
        return IsolationForestModel.FORMAT;
    }

    public static byte[] encode(FlatIsolationForest f, double offset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(f.features());
            out.writeInt(f.subsample());
            out.writeDouble(offset);
            out.writeInt(f.roots().length);
            for (int r : f.roots()) {
                out.writeInt(r);
            }
            int nodes = f.left().length;
            out.writeInt(nodes);
            for (int i = 0; i < nodes; i++) {
                out.writeInt(f.left()[i]);
                out.writeInt(f.right()[i]);
                out.writeDouble(f.bias()[i]);
                out.writeDouble(f.leafPath()[i]);
            }
            for (double s : f.slope()) {
                out.writeDouble(s);
            }
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Bytes per node in the artifact: left, right (int), bias, leaf path (double); then p slope doubles. */
    private static final int NODE_BYTES = 4 + 4 + 8 + 8;

    /**
     * Checks before it allocates: every count in the header is compared with the bytes actually left, so an
     * array is only allocated when the artifact holds its content (the allocation is bounded by the artifact's
     * size, which the store bounded). The forest's structure (acyclic, bounded depth, finite values) is checked
     * by {@link FlatIsolationForest}'s constructor. Every failure is a {@link RegistryException}
     * ({@code CORRUPT_ARTIFACT}) naming the model and the problem.
     *
     * <p>Memory is checked against {@code budget} twice before it is taken: the flat form from the header's counts
     * before its arrays are allocated, then the whole serving form, including the complete-tree layout computed
     * from the trees' shapes (a chain of depth d pads to 2^(d+1) - 1 slots), before the model is built
     * ({@code TOO_LARGE}).
     */
    @Override
    public IsolationForestModel decode(ModelManifest manifest, byte[] artifact, ServingBudget budget) {
        return BinaryArtifacts.decode(manifest, artifact, (in, what) -> {
            if (in.readInt() != MAGIC) {
                throw corrupt(what, "it is not an " + IsolationForestModel.FORMAT + " file (bad magic number)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw corrupt(what, "unsupported format version " + version);
            }
            int p = in.readInt();
            int psi = in.readInt();
            double offset = in.readDouble();
            int trees = in.readInt();
            // 3 order metrics, plus the note features a manifest's extensions.note_features declares
            com.orderintel.llm.NoteFeatureEncoding notes = com.orderintel.llm.NoteFeatureEncoding.fromManifest(manifest);
            int expected = IsolationForestModel.FEATURES + (notes == null ? 0 : notes.width());
            if (p != expected || trees <= 0 || trees > 100_000 || psi < 2 || !Double.isFinite(offset)) {
                throw corrupt(what, "implausible header (features " + p + " where the manifest declares " + expected
                        + ", subsample " + psi + ", trees " + trees
                        + ", offset " + offset + ")");
            }
            BinaryArtifacts.TreeIndex index = BinaryArtifacts.readTreeIndex(in, trees, what);
            int[] roots = index.roots();
            int nodes = index.nodes();
            long nodeBytes = (long) nodes * (NODE_BYTES + 8L * p);
            if (in.available() != nodeBytes) {
                throw corrupt(what, in.available() < nodeBytes
                        ? "it is truncated or its node count is wrong: " + nodes + " nodes need " + nodeBytes
                                + " bytes, " + in.available() + " remain"
                        : (in.available() - nodeBytes) + " unexpected trailing bytes");
            }
            budget.check(IsolationForestModel.flatBytes(trees, nodes, p), what, trees + " trees of " + nodes
                    + " nodes in all, before their complete-tree layout");
            int[] left = new int[nodes];
            int[] right = new int[nodes];
            double[] bias = new double[nodes];
            double[] leaf = new double[nodes];
            for (int i = 0; i < nodes; i++) {
                left[i] = in.readInt();
                right[i] = in.readInt();
                bias[i] = in.readDouble();
                leaf[i] = in.readDouble();
            }
            double[] slope = new double[nodes * p];
            for (int i = 0; i < slope.length; i++) {
                slope[i] = in.readDouble();
            }
            FlatIsolationForest forest = new FlatIsolationForest(p, psi, roots, left, right, slope, bias, leaf);
            int depth = CompleteTreeForest.layoutDepth(forest);
            budget.check(IsolationForestModel.servingBytes(forest), what, trees + " trees of " + nodes + " nodes in all"
                    + (depth < 0 ? "" : ", padded to complete trees of depth " + depth + " for scoring: "
                    + CompleteTreeForest.bytes(trees, depth) + " bytes"));
            return new IsolationForestModel(manifest, forest, offset);
        });
    }
}
