package com.orderintel.models;

import com.orderintel.anomaly.FlatIsolationForest;
import com.orderintel.forecast.DecomposedGbtFeatures;
import com.orderintel.forecast.FlatTreeEnsemble;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Writers of the binary artifact formats that, unlike the codecs' encoders, accept any field values (cycles,
 * NaN, lying counts), so tests can craft hostile artifacts. The fuzz test checks that each writes exactly what
 * the real encoder writes for a valid model.
 */
final class RawArtifacts {

    private RawArtifacts() {
    }

    /** The fields of an {@code isolation-forest-flat/v1} artifact. */
    static final class IforestRaw {
        final int p;
        final int psi;
        final double offset;
        int[] roots;
        int[] left;
        int[] right;
        double[] bias;
        double[] leafPath;
        double[] slope;

        IforestRaw(int p, int psi, double offset, int trees, int nodes) {
            this.p = p;
            this.psi = psi;
            this.offset = offset;
            roots = new int[trees];
            left = new int[nodes];
            right = new int[nodes];
            bias = new double[nodes];
            leafPath = new double[nodes];
            slope = new double[nodes * p];
        }

        void split(int node, int l, int r, int axis, double threshold, double scale) {
            left[node] = l;
            right[node] = r;
            slope[node * p + axis] = scale;
            bias[node] = threshold * scale;
        }

        void leaf(int node, double path) {
            left[node] = -1;
            right[node] = -1;
            leafPath[node] = path;
        }

        /** A copy changed by {@code change}. */
        IforestRaw with(Consumer<IforestRaw> change) {
            IforestRaw c = new IforestRaw(p, psi, offset, roots.length, left.length);
            c.roots = roots.clone();
            c.left = left.clone();
            c.right = right.clone();
            c.bias = bias.clone();
            c.leafPath = leafPath.clone();
            c.slope = slope.clone();
            change.accept(c);
            return c;
        }

        FlatIsolationForest toForest() {
            return new FlatIsolationForest(p, psi, roots, left, right, slope, bias, leafPath);
        }

        byte[] bytes() {
            return write(out -> {
                out.writeInt(0x4F494946);
                out.writeInt(1);
                out.writeInt(p);
                out.writeInt(psi);
                out.writeDouble(offset);
                out.writeInt(roots.length);
                for (int r : roots) {
                    out.writeInt(r);
                }
                out.writeInt(left.length);
                for (int i = 0; i < left.length; i++) {
                    out.writeInt(left[i]);
                    out.writeInt(right[i]);
                    out.writeDouble(bias[i]);
                    out.writeDouble(leafPath[i]);
                }
                for (double s : slope) {
                    out.writeDouble(s);
                }
            });
        }
    }

    /** The fields of a {@code gbt-flat/v2} artifact, with overrides for the counts it declares. */
    static final class GbtRaw {
        double base;
        double shrinkage;
        int[] roots;
        int[] feature;
        double[] threshold;
        int[] left;
        int[] right;
        double[] value;
        Integer treeCountOverride;
        Integer nodeCountOverride;
        Integer productCountOverride;
        boolean swapNames;
        boolean badUtf;
        /** The format version written (2; another tests that a reader refuses it). */
        int version = 2;
        Map<String, double[]> baselines = new TreeMap<>();
        boolean duplicateBaseline;

        GbtRaw(int trees, int nodes) {
            roots = new int[trees];
            feature = new int[nodes];
            threshold = new double[nodes];
            left = new int[nodes];
            right = new int[nodes];
            value = new double[nodes];
        }

        void split(int node, int f, double t, int l, int r) {
            feature[node] = f;
            threshold[node] = t;
            left[node] = l;
            right[node] = r;
        }

        void leaf(int node, double v) {
            feature[node] = -1;
            value[node] = v;
        }

        GbtRaw with(Consumer<GbtRaw> change) {
            GbtRaw c = new GbtRaw(roots.length, feature.length);
            c.base = base;
            c.shrinkage = shrinkage;
            c.roots = roots.clone();
            c.feature = feature.clone();
            c.threshold = threshold.clone();
            c.left = left.clone();
            c.right = right.clone();
            c.value = value.clone();
            c.version = version;
            baselines.forEach((k, v) -> c.baselines.put(k, v.clone()));
            change.accept(c);
            return c;
        }

        List<String> names() {
            return DecomposedGbtFeatures.NAMES;
        }

        private void writeBaselines(DataOutputStream out) throws IOException {
            int extra = duplicateBaseline ? 1 : 0;
            out.writeInt(productCountOverride != null ? productCountOverride : baselines.size() + extra);
            for (var e : baselines.entrySet()) {
                out.writeUTF(e.getKey());
                for (double v : e.getValue()) {
                    out.writeDouble(v);
                }
            }
            if (duplicateBaseline) {
                var first = baselines.entrySet().iterator().next();
                out.writeUTF(first.getKey());
                for (double v : first.getValue()) {
                    out.writeDouble(v);
                }
            }
        }

        FlatTreeEnsemble toEnsemble() {
            return new FlatTreeEnsemble(names().size(), base, shrinkage, roots, feature, threshold, left, right, value);
        }

        byte[] bytes() {
            return write(out -> {
                out.writeInt(0x4F494742);
                out.writeInt(version);
                List<String> names = new ArrayList<>(names());
                if (swapNames) {
                    names.set(0, names().get(1));
                    names.set(1, names().get(0));
                }
                out.writeInt(names.size());
                for (int i = 0; i < names.size(); i++) {
                    if (badUtf && i == 0) {
                        out.writeShort(2);
                        out.writeByte(0xC0); // a two-byte sequence whose second byte is not 10xxxxxx
                        out.writeByte(0x41);
                    } else {
                        out.writeUTF(names.get(i));
                    }
                }
                out.writeDouble(base);
                out.writeDouble(shrinkage);
                out.writeInt(treeCountOverride != null ? treeCountOverride : roots.length);
                for (int r : roots) {
                    out.writeInt(r);
                }
                out.writeInt(nodeCountOverride != null ? nodeCountOverride : feature.length);
                for (int i = 0; i < feature.length; i++) {
                    out.writeInt(feature[i]);
                    out.writeDouble(threshold[i]);
                    out.writeInt(left[i]);
                    out.writeInt(right[i]);
                    out.writeDouble(value[i]);
                }
                writeBaselines(out);
            });
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write cannot fail", e);
        }
        return bytes.toByteArray();
    }
}
