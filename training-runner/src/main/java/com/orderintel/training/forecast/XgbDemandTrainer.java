package com.orderintel.training.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.dataset.DataException;
import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.DecomposedGbtCodec;
import com.orderintel.forecast.DecomposedGbtDemandModel;
import com.orderintel.forecast.DecomposedGbtFeatures;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.FlatTreeEnsemble;
import com.orderintel.forecast.ProductBaseline;
import com.orderintel.models.DoubleBoundary;
import com.orderintel.training.HyperParameters;
import com.orderintel.training.TrainingProgress;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * The strong demand model: per product a {@link ProductBaseline} (straight-line level over time, basket term,
 * season/weekday/promotion ratios; {@link BaselineFit}), then XGBoost through its JVM package (multi-threaded
 * histogram trees, xgboost4j natives) on the ratio {@code (demand - basketTerm) / level} over
 * {@link DecomposedGbtFeatures}, exported to the flat serving form ({@code gbt-flat/v2}, {@link FlatTreeEnsemble}),
 * so serving does not need XGBoost. Prediction: {@code level(date) * trees(x) + basketTerm}.
 *
 * <p>Export: XGBoost compares features as floats, {@code (float) x < split} goes to "yes". For each split that
 * is the same, for every double x, as {@code x <= t} for one double t (float rounding is monotone in x), which
 * {@link #lastBelow(float)} finds by bisection, so a tree routes a double exactly as XGBoost routes its float.
 * Leaf values are XGBoost's floats (learning rate applied); the flat form sums them in double, XGBoost in float,
 * so predictions agree to about 1e-5 relative. Missing values never occur (every feature is always computed).
 */
public final class XgbDemandTrainer implements DemandTrainer {

    public static final String NAME = "xgboost";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> hyperParameters(Flags flags) {
        Options d = Options.defaults(0);
        return new Options(flags.trees() == null ? d.trees() : flags.trees(), flags.maxDepth() == null ? d.maxDepth() : flags.maxDepth(),
                flags.shrinkage() == null ? d.eta() : flags.shrinkage(), d.subsample(), d.minChildWeight(), d.lambda(),
                d.threads(), 0).asHyperParameters();
    }

    @Override
    public void prepare() {
        loadNativeLibraryInBackground();
    }

    @Override
    public DemandFit fit(List<DemandRow> train, Map<String, Object> hyper, long seed, TrainingProgress progress) {
        Fitted fitted = fit(train, Options.fromHyperParameters(hyper, seed), progress);
        return new DemandFit(DecomposedGbtDemandModel.FORMAT, "model.gbt", DecomposedGbtCodec.encode(fitted.trees(), fitted.baselines()),
                DemandTraining.profiles(DecomposedGbtFeatures.NAMES, fitted.x(), train),
                m -> new DecomposedGbtDemandModel(m, fitted.trees(), fitted.baselines()));
    }

    /** For the tree dumps; in a holder so that loading this class (for the background load below) stays cheap. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    /** Huber re-weighting rounds of the per-product baseline fit. */
    static final int HUBER_ROUNDS = 3;

    /** XGBoost parameters; defaults chosen on the generated 100k set (docs/models.md). */
    public record Options(int trees, int maxDepth, double eta, double subsample, double minChildWeight, double lambda,
                          int threads, long seed) {
        public Options {
            if (trees < 1 || trees > 5_000) {
                throw new DataException("--n-estimators must be between 1 and 5000, got " + trees);
            }
            if (maxDepth < 1 || maxDepth > 16) {
                throw new DataException("--max-depth must be between 1 and 16, got " + maxDepth);
            }
            if (!(eta > 0 && eta <= 1)) {
                throw new DataException("--shrinkage must be in (0, 1], got " + eta);
            }
            if (!(subsample > 0 && subsample <= 1)) {
                throw new DataException("subsample must be in (0, 1], got " + subsample);
            }
            if (threads < 1) {
                throw new DataException("threads must be >= 1, got " + threads);
            }
        }

        /**
         * 100 trees of depth 4, eta 0.2, min_child_weight 50: the trees only refine a ratio around the baseline, so
         * shallow trees suffice and larger leaves average the noise (on the generated 100k set within 1 % of the
         * noise floor on both splits; 400 trees of depth 6 were 1.6-1.8 % over it at 3-4x the time; docs/models.md).
         */
        public static Options defaults(long seed) {
            return new Options(100, 4, 0.2, 0.8, 50, 1, Runtime.getRuntime().availableProcessors(), seed);
        }

        /** The options a manifest recorded ({@link #asHyperParameters}); the threads are this machine's. */
        public static Options fromHyperParameters(Map<String, Object> hyper, long seed) {
            return new Options(HyperParameters.integer(hyper, "n_estimators"), HyperParameters.integer(hyper, "max_depth"),
                    HyperParameters.number(hyper, "eta"), HyperParameters.number(hyper, "subsample"),
                    HyperParameters.number(hyper, "min_child_weight"), HyperParameters.number(hyper, "lambda"),
                    defaults(seed).threads(), seed);
        }

        public Map<String, Object> asHyperParameters() {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("library", "xgboost4j");
            h.put("objective", "reg:squarederror");
            h.put("tree_method", "hist");
            h.put("n_estimators", trees);
            h.put("max_depth", maxDepth);
            h.put("eta", eta);
            h.put("subsample", subsample);
            h.put("min_child_weight", minChildWeight);
            h.put("lambda", lambda);
            return h;
        }
    }

    /**
     * The flat serving trees, the product baselines, the trees' training matrix (also for the feature profiles)
     * and target (demand relative to the level), and XGBoost's booster (for parity checks against its own predict).
     */
    public record Fitted(FlatTreeEnsemble trees, Map<String, ProductBaseline> baselines, double[][] x, double[] target,
                         Booster booster) { }

    /**
     * Loads XGBoost's native library (xgboost4j unpacks its 7 MB .so from the jar and links it, ~80 ms) and the
     * JSON mapper of the tree export on a daemon thread, so it happens while the data is read. A failure is left for
     * the training itself to report.
     */
    public static void loadNativeLibraryInBackground() {
        Thread.ofPlatform().daemon().name("xgboost-native-load").start(() -> {
            try {
                Class.forName("ml.dmlc.xgboost4j.java.XGBoostJNI", true, XgbDemandTrainer.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // reported by the first XGBoost call, with the library's own message
            }
            Json.MAPPER.getTypeFactory();
        });
    }

    public Fitted fit(List<DemandRow> rows, Options options) {
        return fit(rows, options, TrainingProgress.NONE);
    }

    public Fitted fit(List<DemandRow> rows, Options options, TrainingProgress progress) {
        if (rows.size() < 2) {
            throw new DataException("gradient boosting needs at least 2 training rows, got " + rows.size());
        }
        Map<String, ProductBaseline> baselines = new BaselineFit(HUBER_ROUNDS).fit(rows);
        int width = DecomposedGbtFeatures.NAMES.size();
        double[][] x = new double[rows.size()][];
        double[] target = new double[rows.size()];
        float[] matrix = new float[rows.size() * width]; // row-major, XGBoost's dense layout
        float[] labels = new float[rows.size()];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            DemandRow r = rows.get(i);
            DemandQuery q = DemandTraining.query(r);
            ProductBaseline b = baselines.get(r.productId());
            x[i] = DecomposedGbtFeatures.of(q, b);
            target[i] = (r.demand() - b.basketTerm(q.avgBasketValue())) / b.level(q.date().toEpochDay());
            for (int f = 0; f < width; f++) {
                matrix[i * width + f] = (float) x[i][f];
            }
            labels[i] = (float) target[i];
            sum += target[i];
        }
        // The mean as XGBoost's starting point (its default, 0.5, costs the first trees); a float, as XGBoost keeps it.
        float baseScore = (float) (sum / rows.size());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "reg:squarederror");
        params.put("tree_method", "hist");
        params.put("eta", options.eta());
        params.put("max_depth", options.maxDepth());
        params.put("subsample", options.subsample());
        params.put("min_child_weight", options.minChildWeight());
        params.put("lambda", options.lambda());
        params.put("nthread", options.threads());
        params.put("seed", (int) options.seed());
        params.put("base_score", baseScore);
        params.put("verbosity", 0);
        Booster booster;
        DMatrix train = null;
        try {
            // NaN marks a missing value; every feature is always computed, so none is missing
            train = new DMatrix(matrix, rows.size(), width, Float.NaN);
            train.setLabel(labels);
            booster = XGBoost.train(train, params, options.trees(), Map.of(), null, null);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed: " + e.getMessage(), e);
        } finally {
            if (train != null) {
                train.dispose();
            }
        }
        progress.treesBuilt(options.trees(), options.trees());
        return new Fitted(export(booster, baseScore, width), baselines, x, target, booster);
    }

    /** The booster's trees in flat form; XGBoost names feature {@code i} of the matrix "f<i>". */
    static FlatTreeEnsemble export(Booster booster, float baseScore, int width) {
        String[] dump;
        try {
            dump = booster.getModelDump((String) null, false, "json");
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot read XGBoost's trees: " + e.getMessage(), e);
        }
        FlatTreeBuilder nodes = new FlatTreeBuilder();
        int[] roots = new int[dump.length];
        try {
            for (int t = 0; t < dump.length; t++) {
                roots[t] = add(nodes, Json.MAPPER.readTree(dump[t]), width);
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable XGBoost tree dump: " + e.getMessage(), e);
        }
        return nodes.build(width, baseScore, 1.0, roots);
    }

    /** The largest double x with {@code (float) x < split}: so {@code (float) x < split} is {@code x <= lastBelow(split)}. */
    static double lastBelow(float split) {
        DoublePredicate notBelow = x -> !((float) x < split);
        if (notBelow.test(-Double.MAX_VALUE)) {
            return Math.nextDown(-Double.MAX_VALUE); // nothing is below: -Infinity
        }
        if (!notBelow.test(Double.MAX_VALUE)) {
            return Double.MAX_VALUE;
        }
        return DoubleBoundary.before(DoubleBoundary.firstTrue(notBelow));
    }

    /**
     * XGBoost's JSON tree below {@code node} (nested nodes) into {@code out} as pre-order flat arrays, "yes" child
     * first; returns the id of its root.
     */
    private static int add(FlatTreeBuilder out, JsonNode node, int width) {
        if (node.has("leaf")) {
            return out.leaf((float) node.get("leaf").asDouble());
        }
        String split = node.get("split").asText();
        int f = split.startsWith("f") ? Integer.parseInt(split.substring(1)) : -1; // "f<column>"
        if (f < 0 || f >= width) {
            throw new IllegalStateException("XGBoost split on unknown feature " + split);
        }
        int id = out.split(f, lastBelow(Float.parseFloat(node.get("split_condition").asText())));
        int yes = node.get("yes").asInt();
        JsonNode yesChild = null;
        JsonNode noChild = null;
        for (JsonNode c : node.get("children")) {
            if (c.get("nodeid").asInt() == yes) {
                yesChild = c;
            } else {
                noChild = c;
            }
        }
        if (yesChild == null || noChild == null) {
            throw new IllegalStateException("XGBoost node " + node.get("nodeid") + " lacks a child");
        }
        int l = add(out, yesChild, width);
        out.children(id, l, add(out, noChild, width));
        return id;
    }
}
