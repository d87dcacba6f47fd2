package com.orderintel.models;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.IsolationForestCodec;
import com.orderintel.anomaly.IsolationForestModel;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.forecast.DecomposedGbtCodec;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.LinearDemandCodec;
import com.orderintel.forecast.LinearDemandModel;
import com.orderintel.forecast.ProductBaseline;
import com.orderintel.models.RawArtifacts.GbtRaw;
import com.orderintel.models.RawArtifacts.IforestRaw;
import com.orderintel.registry.Manifests;
import com.orderintel.registry.ModelCodec;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.ServableModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Model artifacts are untrusted input. For each codec this feeds random bytes, every truncation of a real small
 * artifact, every single-bit flip of it, random byte overwrites and hand-crafted hostile headers (huge counts,
 * cyclic children, negative indices, NaN values, deep chains), and asserts for every input: it either decodes to
 * a model whose scoring terminates with a finite output, or it is refused with a {@link RegistryException}
 * naming the model. Any other exception, an Error, an allocation far beyond the input's size or a hang (each
 * batch runs under {@code assertTimeoutPreemptively}) fails the test, naming the input. Counts are printed.
 */
class CorruptArtifactFuzzTest {

    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);
    /** Decoding n bytes may allocate a fixed overhead plus a small multiple of n, never what a header claims. */
    private static final long ALLOCATION_SLACK = 2L << 20;
    private static final int ALLOCATION_FACTOR = 64;
    private static final ModelManifest MANIFEST = Manifests.forArtifact("fuzzed-model", "f1", new byte[] {1});
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Map<String, long[]> COUNTS = new TreeMap<>(); // codec/category -> tried, decoded, refused, ms

    @AfterAll
    static void report() {
        int tried = 0;
        StringBuilder b = new StringBuilder("corrupted-artifact fuzz (tried / decoded / refused / ms):\n");
        for (var e : COUNTS.entrySet()) {
            long[] c = e.getValue();
            tried += (int) c[0];
            b.append(String.format("  %-34s %7d %7d %7d %6d%n", e.getKey(), c[0], c[1], c[2], c[3]));
        }
        System.out.println(b.append("  total inputs tried: ").append(tried));
    }

    // ---------------------------------------------------------------- isolation forest

    /** A valid 4-tree forest (5 nodes a tree, pre-order), encoded by the real encoder. */
    private static IforestRaw validForest() {
        IforestRaw f = new IforestRaw(3, 256, -0.52, 4, 20);
        for (int t = 0; t < 4; t++) {
            int n = 5 * t;
            f.roots[t] = n;
            f.split(n, n + 1, n + 2, t % 3, 0.5 + t, 1.0);
            f.leaf(n + 1, 2.5 + t);
            f.split(n + 2, n + 3, n + 4, (t + 1) % 3, -1.5, 2.0);
            f.leaf(n + 3, 4.0);
            f.leaf(n + 4, 6.25);
        }
        return f;
    }

    @Test
    void isolationForestCodecSurvivesCorruptedArtifacts() {
        IsolationForestCodec codec = new IsolationForestCodec();
        IforestRaw valid = validForest();
        byte[] good = IsolationForestCodec.encode(valid.toForest(), valid.offset);
        assertThat(valid.bytes()).as("the test's raw writer speaks the codec's format").isEqualTo(good);
        Target target = new Target("iforest", codec, CorruptArtifactFuzzTest::scoreAnomaly);

        fuzzAround(target, good, 0x4F494946, 2_000, 3_000);

        // The security review's two findings, then the rest of the hostile headers.
        IforestRaw selfLoop = new IforestRaw(3, 256, 0, 1, 2);
        selfLoop.roots[0] = 0;
        selfLoop.split(0, 0, 1, 0, 0.5, 1.0); // node 0's left child is node 0
        selfLoop.leaf(1, 1.0);
        target.refuses("2-node forest, node 0 points at itself", selfLoop.bytes(), "cycle");
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(header)) {
            out.writeInt(0x4F494946);
            out.writeInt(1);
            out.writeInt(3);
            out.writeInt(256);
            out.writeDouble(0);
            out.writeInt(1);
            out.writeInt(0);
            out.writeInt(50_000_000);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(header.size()).isEqualTo(36);
        target.refuses("36 bytes claiming 50M nodes", header.toByteArray(), "truncated");

        target.refuses("node count Integer.MAX_VALUE", withInt(good, nodeCountOffset(4), Integer.MAX_VALUE), "node count");
        target.refuses("negative node count", withInt(good, nodeCountOffset(4), -1), "node count");
        target.refuses("node count + 1", withInt(good, nodeCountOffset(4), 21), "truncated");
        target.refuses("node count - 1", withInt(good, nodeCountOffset(4), 19), "trailing");
        target.refuses("tree count Integer.MAX_VALUE", withInt(good, 24, Integer.MAX_VALUE), "implausible header");
        target.refuses("tree count 100,000 in 1 KB", withInt(good, 24, 100_000), "truncated");
        target.refuses("negative tree count", withInt(good, 24, -3), "implausible header");
        target.refuses("4 features", withInt(good, 8, 4), "implausible header");
        target.refuses("subsample 1", withInt(good, 12, 1), "implausible header");
        target.refuses("NaN offset", withDouble(good, 16, Double.NaN), "implausible header");
        target.refuses("trailing byte", Arrays.copyOf(good, good.length + 1), "trailing");

        target.refuses("two trees share a root", valid.with(f -> f.roots[1] = 0).bytes(), "another tree");
        target.refuses("root -1", valid.with(f -> f.roots[2] = -1).bytes(), "root");
        target.refuses("root past the end", valid.with(f -> f.roots[2] = 20).bytes(), "root");
        target.refuses("child back to its root", valid.with(f -> f.right[2] = 0).bytes(), "cycle");
        target.refuses("2-cycle", valid.with(f -> {
            f.left[7] = 5;
        }).bytes(), "cycle");
        target.refuses("child shared by two nodes", valid.with(f -> f.left[7] = 6).bytes(), "cycle or a shared subtree");
        target.refuses("child -1 beside a valid child", valid.with(f -> f.left[0] = -1).bytes(), "invalid children");
        target.refuses("child past the end", valid.with(f -> f.right[0] = 20).bytes(), "invalid children");
        target.refuses("child Integer.MIN_VALUE", valid.with(f -> f.left[0] = Integer.MIN_VALUE).bytes(), "invalid children");
        target.refuses("NaN split value", valid.with(f -> f.bias[0] = Double.NaN).bytes(), "non-finite split");
        target.refuses("infinite split value", valid.with(f -> f.bias[0] = Double.POSITIVE_INFINITY).bytes(), "non-finite split");
        target.refuses("NaN slope", valid.with(f -> f.slope[1] = Double.NaN).bytes(), "non-finite split slope");
        target.refuses("NaN leaf path", valid.with(f -> f.leafPath[1] = Double.NaN).bytes(), "path length");
        target.refuses("negative leaf path", valid.with(f -> f.leafPath[1] = -4).bytes(), "path length");
        target.refuses("huge leaf path", valid.with(f -> f.leafPath[1] = 1e300).bytes(), "path length");
        target.refuses("chain 600 deep", chainForest(600).bytes(), "deeper than");
        target.accepts("chain 500 deep (legal, scores in bounded time)", chainForest(500).bytes());
        target.accepts("both children of a leaf negative (any negative is a leaf)", valid.with(f -> {
            f.left[1] = -7;
            f.right[1] = -9;
        }).bytes());
    }

    /** One tree: a chain of {@code depth} splits, each with a leaf on its left. */
    private static IforestRaw chainForest(int depth) {
        int nodes = 2 * depth + 1;
        IforestRaw f = new IforestRaw(3, 256, -0.5, 1, nodes);
        f.roots[0] = 0;
        for (int d = 0; d < depth; d++) {
            f.split(2 * d, 2 * d + 1, 2 * d + 2, d % 3, d, 1.0);
            f.leaf(2 * d + 1, 3.0);
        }
        f.leaf(nodes - 1, 9.0);
        return f;
    }

    private static int nodeCountOffset(int trees) {
        return 28 + 4 * trees;
    }

    private static void scoreAnomaly(ServableModel m) {
        AnomalyDetector d = (AnomalyDetector) m;
        IsolationForestModel model = (IsolationForestModel) m;
        double[][] inputs = {{0, 0, 0}, {1e6, 50, 0.5}, {-1e9, -3, 2}, {Double.NaN, 1, 1},
                {Double.POSITIVE_INFINITY, 1, Double.NEGATIVE_INFINITY}, {Double.MAX_VALUE, -Double.MAX_VALUE, 1}};
        for (double[] x : inputs) {
            assertFinite(model.decision(x), x);
        }
        assertFinite(d.score(new OrderMetrics("o-1", 120, 3, 0.8)).score(), "order o-1");
    }

    // ---------------------------------------------------------------- gradient-boosted trees

    private static GbtRaw validGbt() {
        GbtRaw g = new GbtRaw(3, 13);
        g.base = 40;
        g.shrinkage = 0.1;
        int n = 0;
        for (int t = 0; t < 3; t++) { // trees of 3, 5, 5 nodes, pre-order
            g.roots[t] = n;
            if (t == 0) {
                g.split(n, 3, 100.0, n + 1, n + 2);
                g.leaf(n + 1, -2.5);
                g.leaf(n + 2, 4.0);
                n += 3;
            } else {
                g.split(n, 5 + t, 30.0 * t, n + 1, n + 4);
                g.split(n + 1, 4, 0.5, n + 2, n + 3);
                g.leaf(n + 2, 1.0 * t);
                g.leaf(n + 3, 7.0);
                g.leaf(n + 4, -3.25);
                n += 5;
            }
        }
        return g;
    }

    /** Baseline values in artifact order: origin, intercept, slope, floor, basket centre and slope, sin, cos, 7 weekday effects, promo, mean. */
    private static double[] baseline(double level, double slope) {
        return new double[] {19_800, level, slope, 1.0, 85, 2.3, 6, -2, 0, 1, -1, 0.5, 2, 9, 7, 30, level};
    }

    private static GbtRaw validDecomposed() {
        GbtRaw g = validGbt().with(r -> {
            r.base = 1.05;
            r.baselines.put("SKU-1", baseline(120, 0.02));
            r.baselines.put("SKU-2", baseline(60, -0.01));
        });
        return g;
    }

    @Test
    void decomposedGbtCodecSurvivesCorruptedArtifacts() {
        DecomposedGbtCodec codec = new DecomposedGbtCodec();
        GbtRaw valid = validDecomposed();
        Map<String, ProductBaseline> baselines = new TreeMap<>();
        valid.baselines.forEach((id, v) -> baselines.put(id, new ProductBaseline(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
                Arrays.copyOfRange(v, 8, 15), v[15], v[16])));
        byte[] good = DecomposedGbtCodec.encode(valid.toEnsemble(), baselines);
        assertThat(valid.bytes()).as("the test's raw writer speaks the codec's format").isEqualTo(good);
        Target target = new Target("gbt-v2", codec, CorruptArtifactFuzzTest::scoreDemand);
        target.accepts("the valid artifact", good);

        fuzzAround(target, good, 0x4F494742, 2_000, 3_000);

        target.refuses("a gbt-flat/v1 artifact (the retired Smile model's version)", valid.with(g -> g.version = 1).bytes(),
                "version 1");
        target.refuses("node count 50M", valid.with(g -> g.nodeCountOverride = 50_000_000).bytes(), "truncated");
        target.refuses("node count Integer.MAX_VALUE", valid.with(g -> g.nodeCountOverride = Integer.MAX_VALUE).bytes(), "node count");
        target.refuses("negative node count", valid.with(g -> g.nodeCountOverride = -1).bytes(), "node count");
        target.refuses("tree count 100,000", valid.with(g -> g.treeCountOverride = 100_000).bytes(), "truncated");
        target.refuses("child is the node itself", valid.with(g -> g.left[0] = 0).bytes(), "invalid feature or children");
        target.refuses("child past the end", valid.with(g -> g.right[0] = 13).bytes(), "invalid feature or children");
        target.refuses("feature -2", valid.with(g -> g.feature[0] = -2).bytes(), "invalid feature or children");
        target.refuses("root -1", valid.with(g -> g.roots[1] = -1).bytes(), "root");
        target.refuses("two trees share a root", valid.with(g -> g.roots[2] = 3).bytes(), "another tree");
        target.refuses("node reached from two trees", valid.with(g -> g.right[3] = 9).bytes(), "shared subtree");
        target.refuses("NaN threshold", valid.with(g -> g.threshold[0] = Double.NaN).bytes(), "non-finite threshold");
        target.refuses("infinite threshold", valid.with(g -> g.threshold[3] = Double.NEGATIVE_INFINITY).bytes(), "non-finite threshold");
        target.refuses("leaf 1e300", valid.with(g -> g.value[1] = 1e300).bytes(), "leaf 1");
        target.refuses("NaN base", valid.with(g -> g.base = Double.NaN).bytes(), "invalid ensemble header");
        target.refuses("infinite shrinkage", valid.with(g -> g.shrinkage = Double.POSITIVE_INFINITY).bytes(), "invalid ensemble header");
        target.refuses("invalid modified UTF-8 in a name", valid.with(g -> g.badUtf = true).bytes(), "UTF-8");
        target.refuses("chain 600 deep", gbtChain(600).bytes(), "deeper than");
        target.accepts("chain 500 deep (legal, scores in bounded time)", gbtChain(500).bytes());
        target.refuses("product count 10M", valid.with(g -> g.productCountOverride = 10_000_000).bytes(), "truncated");
        target.refuses("product count 0", valid.with(g -> g.productCountOverride = 0).bytes(), "product count");
        target.refuses("product count + 1", valid.with(g -> g.productCountOverride = 3).bytes(), "truncated");
        target.refuses("a product twice", valid.with(g -> g.duplicateBaseline = true).bytes(), "twice");
        target.refuses("feature 10 of 10", valid.with(g -> g.feature[0] = 10).bytes(), "invalid feature or children");
        target.refuses("child before its parent", valid.with(g -> g.right[4] = 3).bytes(), "invalid feature or children");
        target.refuses("NaN leaf", valid.with(g -> g.value[1] = Double.NaN).bytes(), "leaf 1");
        target.refuses("feature names in another order", valid.with(g -> g.swapNames = true).bytes(), "differ from");
        target.refuses("NaN slope", valid.with(g -> g.baselines.get("SKU-1")[2] = Double.NaN).bytes(), "SKU-1");
        target.refuses("slope 1e300", valid.with(g -> g.baselines.get("SKU-2")[2] = 1e300).bytes(), "SKU-2");
        target.refuses("infinite weekday effect", valid.with(g -> g.baselines.get("SKU-1")[10] = Double.NEGATIVE_INFINITY).bytes(), "SKU-1");
        target.refuses("zero level floor", valid.with(g -> g.baselines.get("SKU-1")[3] = 0).bytes(), "floor");
        target.refuses("negative level floor", valid.with(g -> g.baselines.get("SKU-1")[3] = -1).bytes(), "floor");
        target.refuses("origin 1e12 days", valid.with(g -> g.baselines.get("SKU-2")[0] = 1e12).bytes(), "origin");
        target.refuses("trailing byte", Arrays.copyOf(good, good.length + 1), "trailing");
        target.accepts("largest coefficients (scores stay finite)", valid.with(g -> {
            double[] v = g.baselines.get("SKU-1");
            Arrays.fill(v, 1e100);
            v[0] = -1e6;
            g.value[1] = 1e150;
        }).bytes());
    }

    private static GbtRaw gbtChain(int depth) {
        int nodes = 2 * depth + 1;
        GbtRaw g = new GbtRaw(1, nodes);
        g.base = 1;
        g.shrinkage = 0.5;
        g.roots[0] = 0;
        for (int d = 0; d < depth; d++) {
            g.split(2 * d, d % 10, d, 2 * d + 1, 2 * d + 2);
            g.leaf(2 * d + 1, 1.0);
        }
        g.leaf(nodes - 1, 2.0);
        g.baselines.put("SKU-1", baseline(5, 0));
        return g;
    }

    private static void scoreDemand(ServableModel m) {
        DemandForecaster f = (DemandForecaster) m;
        int checked = 0;
        for (String product : f.products()) {
            if (checked++ == 8) {
                break;
            }
            for (LocalDate date : List.of(LocalDate.of(2020, 1, 1), LocalDate.of(2023, 12, 20), LocalDate.of(2031, 6, 1))) {
                for (int promo = 0; promo < 2; promo++) {
                    assertFinite(f.predict(new DemandQuery(date, product, 55.5, promo)), product + " " + date);
                }
            }
        }
    }

    // ---------------------------------------------------------------- linear (JSON)

    @Test
    void linearCodecSurvivesCorruptedArtifacts() {
        LinearDemandCodec codec = new LinearDemandCodec();
        Map<String, LinearDemandModel.Coefficients> coefficients = new LinkedHashMap<>();
        coefficients.put("SKU-1", new LinearDemandModel.Coefficients(12.5, new double[] {0.01, -0.4, 3.0, 0.2, 5.5}));
        coefficients.put("SKU-2", new LinearDemandModel.Coefficients(-3, new double[] {0, 0.3, -1.0, 0.05, 2}));
        byte[] good = LinearDemandCodec.encode(coefficients);
        Target target = new Target("linear", codec, CorruptArtifactFuzzTest::scoreDemand);
        String valid = new String(good, StandardCharsets.UTF_8);

        // fewer random inputs: almost all fail at the first byte, and Jackson's exceptions cost ~0.3 ms each
        fuzzAround(target, good, -1, 1_000, 1_500);
        jsonTokenSoup(target, 1_500);

        target.refuses("intercept 1e400 (infinite)", valid.replace("12.5", "1e400").getBytes(), "finite intercept");
        target.refuses("weight 1e200", valid.replace("5.5", "1e200").getBytes(), "finite weights");
        target.refuses("NaN literal", valid.replace("12.5", "NaN").getBytes(), "not a valid");
        target.refuses("missing intercept", valid.replaceFirst("\"intercept\" : 12.5,", "").getBytes(), "not a valid");
        target.refuses("null intercept", valid.replace("12.5", "null").getBytes(), "not a valid");
        target.refuses("null weights", valid.replaceFirst("\\[ 0.01, -0.4, 3.0, 0.2, 5.5 ]", "null").getBytes(), "finite weights");
        target.refuses("four weights", valid.replace("0.01, ", "").getBytes(), "finite weights");
        target.refuses("no products", "{\"features\":[\"day_of_year\",\"day_of_week\",\"is_weekend\",\"avg_basket_value\",\"promo_flag\"],\"products\":{}}"
                .getBytes(), "at least one product");
        target.refuses("features in another order", valid.replace("\"day_of_year\", \"day_of_week\"", "\"day_of_week\", \"day_of_year\"")
                .getBytes(), "must list features");
        target.refuses("duplicate key", valid.replaceFirst("\"intercept\" : 12.5,", "\"intercept\" : 12.5, \"intercept\" : 99,")
                .getBytes(), "not a valid");
        target.refuses("trailing garbage", (valid + " {}").getBytes(), "not a valid");
        target.refuses("nesting 100,000 deep", "[".repeat(100_000).getBytes(), "not a valid");
        target.refuses("2 MB string", ("{\"features\":[\"" + "x".repeat(2 << 20) + "\"]}").getBytes(), "not a valid");
        target.refuses("a 5,000-digit number", valid.replace("12.5", "1" + "0".repeat(5_000)).getBytes(), "not a valid");
    }

    /** Random sequences of JSON tokens this document uses, so the parser gets past the first byte. */
    private static void jsonTokenSoup(Target target, int count) {
        String[] tokens = {"{", "}", "[", "]", ":", ",", "\"features\"", "\"products\"", "\"intercept\"", "\"weights\"",
                "\"SKU-1\"", "\"day_of_year\"", "null", "true", "1e400", "-0", "3.5", "NaN", "\"\"", "1e-400", "-1e308"};
        Random random = new Random(7);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(40);
            for (int k = 0; k < n; k++) {
                b.append(tokens[random.nextInt(tokens.length)]);
            }
            inputs.add(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        target.run("json token soup", inputs);
    }

    // ---------------------------------------------------------------- shared fuzzing

    /** Random bytes (with and without the codec's magic), every truncation, every bit flip, random overwrites. */
    private static void fuzzAround(Target target, byte[] good, int magic, int randomInputs, int overwrites) {
        target.codec().decode(MANIFEST, good); // warm-up outside the allocation check: class loading, Jackson's caches
        target.accepts("the real artifact", good);
        Random random = new Random(42);
        List<byte[]> randomBytes = new ArrayList<>();
        for (int i = 0; i < randomInputs; i++) {
            byte[] b = new byte[random.nextInt(600)];
            random.nextBytes(b);
            if (magic != -1 && i % 2 == 0 && b.length >= 8) { // past the magic number and version, into the counts
                java.nio.ByteBuffer.wrap(b).putInt(magic).putInt(1);
            }
            randomBytes.add(b);
        }
        target.run("random bytes", randomBytes);

        List<byte[]> truncations = new ArrayList<>();
        for (int n = 0; n < good.length; n++) {
            truncations.add(Arrays.copyOf(good, n));
        }
        target.run("truncations", truncations);

        List<byte[]> flips = new ArrayList<>();
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] b = good.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            flips.add(b);
        }
        target.run("single bit flips", flips);

        List<byte[]> overwritten = new ArrayList<>();
        for (int i = 0; i < overwrites; i++) {
            byte[] b = good.clone();
            int writes = 1 + random.nextInt(6);
            for (int k = 0; k < writes; k++) {
                int at = random.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + random.nextInt(8));
                for (int j = 0; j < len; j++) {
                    b[at + j] = random.nextInt(4) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
                }
            }
            overwritten.add(b);
        }
        target.run("random overwrites", overwritten);
    }

    private interface Scorer {
        void score(ServableModel model);
    }

    /** One codec under test: runs inputs in a preemptive time box and keeps the counts. */
    private record Target(String codecName, ModelCodec<?> codec, Scorer scorer) {

        void run(String category, List<byte[]> inputs) {
            long[] counts = COUNTS.computeIfAbsent(codecName + " / " + category, k -> new long[4]);
            AtomicReference<String> current = new AtomicReference<>("(none)");
            long start = System.nanoTime();
            assertTimeoutPreemptively(BATCH_TIMEOUT, () -> {
                for (int i = 0; i < inputs.size(); i++) {
                    current.set(category + " #" + i);
                    boolean decoded = tryOne(category + " #" + i, inputs.get(i), null);
                    counts[0]++;
                    counts[decoded ? 1 : 2]++;
                }
            }, () -> codecName + ": no answer within " + BATCH_TIMEOUT + " at input " + current.get());
            counts[3] += (System.nanoTime() - start) / 1_000_000;
        }

        void refuses(String what, byte[] input, String messagePart) {
            run1(what, input, false, messagePart);
        }

        void accepts(String what, byte[] input) {
            run1(what, input, true, null);
        }

        private void run1(String what, byte[] input, boolean expectDecoded, String messagePart) {
            long[] counts = COUNTS.computeIfAbsent(codecName + " / crafted", k -> new long[4]);
            long start = System.nanoTime();
            assertTimeoutPreemptively(BATCH_TIMEOUT, () -> {
                AtomicReference<RegistryException> refusal = new AtomicReference<>();
                boolean decoded = tryOne(what, input, refusal);
                counts[0]++;
                counts[decoded ? 1 : 2]++;
                assertThat(decoded).as("%s: %s", codecName, what).isEqualTo(expectDecoded);
                if (messagePart != null) {
                    assertThat(refusal.get()).as("%s: %s", codecName, what).hasMessageContaining(messagePart);
                }
            }, () -> codecName + ": no answer within " + BATCH_TIMEOUT + " for crafted input '" + what + "'");
            counts[3] += (System.nanoTime() - start) / 1_000_000;
        }

        /** True when the input decoded (and then scored finite); false when refused with a RegistryException. */
        private boolean tryOne(String what, byte[] input, AtomicReference<RegistryException> refusal) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            ServableModel model;
            try {
                model = codec.decode(MANIFEST, input);
            } catch (RegistryException e) {
                checkAllocation(what, input, before);
                if (e.reason() != RegistryException.Reason.CORRUPT_ARTIFACT || !e.getMessage().contains("'fuzzed-model'")) {
                    fail(codecName + ": input " + what + " was refused without naming the model as CORRUPT_ARTIFACT: " + e);
                }
                if (refusal != null) {
                    refusal.set(e);
                }
                return false;
            } catch (Throwable t) {
                throw new AssertionError(codecName + ": input " + what + " (" + input.length + " bytes) threw "
                        + t + " instead of a RegistryException", t);
            }
            checkAllocation(what, input, before);
            try {
                scorer.score(model);
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(codecName + ": input " + what + " decoded but scoring threw " + t, t);
            }
            return true;
        }

        private void checkAllocation(String what, byte[] input, long before) {
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (allocated > ALLOCATION_SLACK + (long) ALLOCATION_FACTOR * input.length) {
                fail(codecName + ": input " + what + " (" + input.length + " bytes) made the decoder allocate "
                        + allocated + " bytes");
            }
        }
    }

    private static void assertFinite(double v, Object input) {
        if (!Double.isFinite(v)) {
            fail("a decoded model scored " + input + " as " + v);
        }
    }

    private static byte[] withInt(byte[] a, int offset, int value) {
        byte[] b = a.clone();
        java.nio.ByteBuffer.wrap(b).putInt(offset, value);
        return b;
    }

    private static byte[] withDouble(byte[] a, int offset, double value) {
        byte[] b = a.clone();
        java.nio.ByteBuffer.wrap(b).putDouble(offset, value);
        return b;
    }
}
