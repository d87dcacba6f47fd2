package com.orderintel.training.forecast;

import com.orderintel.forecast.DemandQuery;
import com.orderintel.forecast.FlatTreeEnsemble;
import com.orderintel.forecast.GbtDemandFeatures;
import com.orderintel.forecast.ProductProfile;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.DemandRow;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.math.MathEx;
import smile.model.cart.InternalNode;
import smile.model.cart.Loss;
import smile.model.cart.Node;
import smile.model.cart.OrdinalNode;
import smile.model.cart.RegressionNode;
import smile.regression.GradientTreeBoost;
import smile.regression.RegressionTree;
import smile.util.IterativeAlgorithmController;
import com.orderintel.training.TrainingProgress;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;

/**
 * The stronger, optional demand model: Smile's {@link GradientTreeBoost} (least squares) over
 * {@link GbtDemandFeatures}, one ensemble pooled over all products, exported to {@link FlatTreeEnsemble} for
 * serving. Each training row's product features come from the same {@link ProductProfile} code serving uses
 * (lags over strictly earlier training observations), so there is no train/serve skew.
 */
public final class GbtDemandTrainer {

    private static final String TARGET = "demand";

    /** Smile's GradientTreeBoost options that we expose; defaults chosen on the generated 100k set. */
    public record Options(int trees, int maxDepth, int maxNodes, int nodeSize, double shrinkage, double subsample, long seed) {
        public Options {
            if (trees < 1 || trees > 5_000) {
                throw new DataException("--n-estimators must be between 1 and 5000, got " + trees);
            }
            if (maxNodes < 2 || maxDepth < 1 || nodeSize < 1) {
                throw new DataException("--max-nodes must be >= 2 (got " + maxNodes + ")");
            }
            if (!(shrinkage > 0 && shrinkage <= 1)) {
                throw new DataException("--shrinkage must be in (0, 1], got " + shrinkage);
            }
            if (!(subsample > 0 && subsample <= 1)) {
                throw new DataException("subsample must be in (0, 1], got " + subsample);
            }
        }

        public static Options defaults(long seed) {
            return new Options(200, 20, 32, 5, 0.1, 0.7, seed);
        }

        public Map<String, Object> asHyperParameters() {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("loss", "least_squares");
            h.put("n_estimators", trees);
            h.put("max_depth", maxDepth);
            h.put("max_nodes", maxNodes);
            h.put("node_size", nodeSize);
            h.put("shrinkage", shrinkage);
            h.put("subsample", subsample);
            return h;
        }
    }

    /** Smile's fitted ensemble (kept for the equivalence check), its flat serving trees, the profiles and the training matrix. */
    public record Fitted(GradientTreeBoost smile, FlatTreeEnsemble trees, Map<String, ProductProfile> profiles, double[][] x) {

        /** The trees' input vector for a query, as the serving model builds it. */
        public double[] features(DemandQuery query) {
            ProductProfile profile = profiles.get(query.productId());
            return GbtDemandFeatures.of(query, profile, profile.prefixSums());
        }
    }

    public Fitted fit(List<DemandRow> rows, Options options) {
        return fit(rows, options, TrainingProgress.NONE);
    }

    public Fitted fit(List<DemandRow> rows, Options options, TrainingProgress progress) {
        if (rows.size() < 2) {
            throw new DataException("gradient boosting needs at least 2 training rows, got " + rows.size());
        }
        Map<String, ProductProfile> profiles = profiles(rows);
        Map<String, double[]> prefixes = new TreeMap<>();
        profiles.forEach((id, p) -> prefixes.put(id, p.prefixSums()));
        int p = GbtDemandFeatures.NAMES.size();
        double[][] x = new double[rows.size()][];
        double[][] data = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            DemandRow r = rows.get(i);
            x[i] = GbtDemandFeatures.of(query(r), profiles.get(r.productId()), prefixes.get(r.productId()));
            data[i] = Arrays.copyOf(x[i], p + 1);
            data[i][p] = r.demand();
        }
        List<String> columns = new ArrayList<>(GbtDemandFeatures.NAMES);
        columns.add(TARGET);
        MathEx.setSeed(options.seed()); // Smile draws each tree's subsample from its own seeded RNG
        GradientTreeBoost gbt;
        // Smile reports each finished tree to the controller's subscribers; the executor runs them on this thread.
        try (IterativeAlgorithmController<GradientTreeBoost.TrainingStatus> controller =
                     new IterativeAlgorithmController<>(Runnable::run, 256)) {
            controller.subscribe(new TreeCounter(progress, options.trees()));
            gbt = GradientTreeBoost.fit(Formula.lhs(TARGET), DataFrame.of(data, columns.toArray(String[]::new)),
                    new GradientTreeBoost.Options(Loss.ls(), options.trees(), options.maxDepth(), options.maxNodes(),
                            options.nodeSize(), options.shrinkage(), options.subsample(), null, controller));
        }
        FlatTreeEnsemble flat = SmileGbtExport.flatten(gbt, p);
        return new Fitted(gbt, flat, profiles, x);
    }

    /** Forwards Smile's per-tree training status to a {@link TrainingProgress}. */
    private record TreeCounter(TrainingProgress progress, int total) implements Flow.Subscriber<GradientTreeBoost.TrainingStatus> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(GradientTreeBoost.TrainingStatus status) {
            progress.treesBuilt(status.tree(), total);
        }

        @Override
        public void onError(Throwable throwable) {
            // progress is informational; training reports its own failures
        }

        @Override
        public void onComplete() {
            // nothing to report
        }
    }

    static DemandQuery query(DemandRow r) {
        return new DemandQuery(r.date(), r.productId(), r.avgBasketValue(), r.promoFlag());
    }

    /** Per product: mean demand, mean per day of week, promotion uplift (ratio of means) and date-sorted history. */
    static Map<String, ProductProfile> profiles(List<DemandRow> rows) {
        Map<String, List<DemandRow>> byProduct = new TreeMap<>();
        for (DemandRow r : rows) {
            byProduct.computeIfAbsent(r.productId(), k -> new ArrayList<>()).add(r);
        }
        Map<String, ProductProfile> out = new TreeMap<>();
        for (var e : byProduct.entrySet()) {
            List<DemandRow> history = new ArrayList<>(e.getValue());
            history.sort(Comparator.comparing(DemandRow::date));
            double sum = 0;
            double[] dowSum = new double[7];
            int[] dowCount = new int[7];
            double promoSum = 0;
            int promoCount = 0;
            int[] days = new int[history.size()];
            double[] demand = new double[history.size()];
            for (int i = 0; i < days.length; i++) {
                DemandRow r = history.get(i);
                days[i] = (int) r.date().toEpochDay();
                demand[i] = r.demand();
                sum += r.demand();
                int dow = r.date().getDayOfWeek().getValue() - 1;
                dowSum[dow] += r.demand();
                dowCount[dow]++;
                if (r.promoFlag() == 1) {
                    promoSum += r.demand();
                    promoCount++;
                }
            }
            double mean = sum / days.length;
            double[] dowMean = new double[7];
            for (int d = 0; d < 7; d++) {
                dowMean[d] = dowCount[d] == 0 ? mean : dowSum[d] / dowCount[d];
            }
            int plain = days.length - promoCount;
            double plainMean = plain == 0 ? 0 : (sum - promoSum) / plain;
            // A product never (or always) on promotion, or with zero plain demand, has no measurable uplift: 1.
            double uplift = promoCount == 0 || plain == 0 || plainMean <= 0 ? 1.0 : (promoSum / promoCount) / plainMean;
            out.put(e.getKey(), new ProductProfile(mean, dowMean, uplift, days, demand));
        }
        return out;
    }

    /**
     * Walks Smile's CART nodes into flat arrays in pre-order. The split threshold ({@code OrdinalNode.value}) and
     * the ensemble's base ({@code GradientTreeBoost.b}) have no public getters in Smile 6.3, so they are read
     * reflectively (class path, unnamed module); the equivalence test guards against layout changes.
     */
    static final class SmileGbtExport {
        private static final Field THRESHOLD;
        private static final Field BASE;
        private static final Field SHRINKAGE;

        static {
            try {
                THRESHOLD = OrdinalNode.class.getDeclaredField("value");
                THRESHOLD.setAccessible(true);
                BASE = GradientTreeBoost.class.getDeclaredField("b");
                BASE.setAccessible(true);
                SHRINKAGE = GradientTreeBoost.class.getDeclaredField("shrinkage");
                SHRINKAGE.setAccessible(true);
            } catch (NoSuchFieldException e) {
                throw new ExceptionInInitializerError("Smile's GradientTreeBoost/OrdinalNode layout changed: " + e);
            }
        }

        static FlatTreeEnsemble flatten(GradientTreeBoost gbt, int features) {
            FlatTreeBuilder nodes = new FlatTreeBuilder();
            RegressionTree[] trees = gbt.trees();
            int[] roots = new int[trees.length];
            try {
                for (int t = 0; t < trees.length; t++) {
                    roots[t] = add(nodes, trees[t].root());
                }
                return nodes.build(features, BASE.getDouble(gbt), SHRINKAGE.getDouble(gbt), roots);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Smile's tree below {@code node} into {@code out}; returns the id of its root. */
        private static int add(FlatTreeBuilder out, Node node) throws IllegalAccessException {
            return switch (node) {
                case RegressionNode leaf -> out.leaf(leaf.output());
                case OrdinalNode split -> {
                    int id = out.split(split.feature(), THRESHOLD.getDouble(split));
                    int l = add(out, split.trueChild()); // Smile: x[feature] <= value -> true child
                    out.children(id, l, add(out, split.falseChild()));
                    yield id;
                }
                case InternalNode other -> throw new IllegalStateException("unexpected split " + other.getClass()
                        + ": all demand features are numeric");
                default -> throw new IllegalStateException("unexpected node " + node.getClass());
            };
        }
    }
}
