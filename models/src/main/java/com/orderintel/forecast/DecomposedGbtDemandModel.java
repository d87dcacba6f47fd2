package com.orderintel.forecast;

import com.orderintel.registry.ModelManifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decomposed demand model ({@code gbt-flat/v2}): per product a straight-line level over time, an additive
 * basket term and season/weekday/promotion ratios ({@link ProductBaseline}), and one gradient-boosted tree ensemble
 * shared by all products that predicts demand relative to the level:
 * <pre>prediction = level(date) * trees(x) + basketTerm(avg_basket_value)</pre>
 * The level extrapolates a product's trend past the training dates; the trees learn the multiplicative shape
 * (season, weekday, promotion and their interactions) from {@link DecomposedGbtFeatures}. Trained with XGBoost
 * in the training runner, served from flat arrays: no ML library here.
 */
public final class DecomposedGbtDemandModel implements DemandForecaster {

    public static final String FORMAT = "gbt-flat/v2";
    private static final int BASKET = DecomposedGbtFeatures.NAMES.indexOf("avg_basket_value");

    private final ModelManifest manifest;
    private final FlatTreeEnsemble trees;
    private final Map<String, ProductBaseline> baselines;
    private final TreePathContributions contributions;

    public DecomposedGbtDemandModel(ModelManifest manifest, FlatTreeEnsemble trees, Map<String, ProductBaseline> baselines) {
        if (trees.features() != DecomposedGbtFeatures.NAMES.size()) {
            throw new IllegalArgumentException("decomposed demand GBT expects " + DecomposedGbtFeatures.NAMES.size()
                    + " features, trees use " + trees.features());
        }
        if (baselines.isEmpty()) {
            throw new IllegalArgumentException("decomposed demand GBT needs at least one product baseline");
        }
        this.manifest = manifest;
        this.trees = trees;
        this.baselines = Map.copyOf(baselines);
        this.contributions = new TreePathContributions(trees);
    }

    /**
     * The forecast split exactly along its formula: the trees' ratio is split by tree-path contributions
     * ({@link TreePathContributions}) and scaled by the product's level at the date, so base = level x the trees'
     * mean ratio (the product's trend level on an average day) and each tree feature is credited level x its
     * contribution; avg_basket_value also carries the additive basket term. base + contributions = the forecast.
     */
    @Override
    public ForecastExplanation explain(DemandQuery query) {
        ProductBaseline b = baseline(query);
        double level = b.level(query.date().toEpochDay());
        double[] x = DecomposedGbtFeatures.of(query, b);
        double[] c = new double[x.length];
        double ratio = contributions.contributions(x, c);
        double basket = b.basketTerm(query.avgBasketValue());
        List<ForecastExplanation.Contribution> out = new ArrayList<>(x.length);
        for (int i = 0; i < x.length; i++) {
            out.add(new ForecastExplanation.Contribution(DecomposedGbtFeatures.NAMES.get(i), x[i],
                    level * c[i] + (i == BASKET ? basket : 0)));
        }
        return new ForecastExplanation("level-x-tree-path", level * contributions.base(), level * ratio + basket, out);
    }

    @Override
    public double predict(DemandQuery query) {
        ProductBaseline b = baseline(query);
        return b.level(query.date().toEpochDay()) * trees.predict(DecomposedGbtFeatures.of(query, b))
                + b.basketTerm(query.avgBasketValue());
    }

    /** The trees' input vector for a query ({@link DecomposedGbtFeatures#NAMES} order). */
    public double[] features(DemandQuery query) {
        return DecomposedGbtFeatures.of(query, baseline(query));
    }

    private ProductBaseline baseline(DemandQuery query) {
        ProductBaseline b = baselines.get(query.productId());
        if (b == null) {
            throw new UnknownProductException(query.productId());
        }
        return b;
    }

    @Override
    public Set<String> products() {
        return baselines.keySet();
    }

    public FlatTreeEnsemble trees() {
        return trees;
    }

    public Map<String, ProductBaseline> baselines() {
        return baselines;
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }
}
