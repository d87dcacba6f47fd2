package com.orderintel.forecast;

import com.orderintel.registry.ModelManifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gradient-boosted regression trees over {@link GbtDemandFeatures}: one ensemble shared by all products, which
 * tell apart through their {@link ProductProfile} features. Trained with Smile in the training runner and served
 * from flat arrays ({@link FlatTreeEnsemble}), so serving has no Smile dependency.
 */
public final class GbtDemandModel implements DemandForecaster {

    public static final String FORMAT = "gbt-flat/v1";

    private record Product(ProductProfile profile, double[] prefix) { }

    private final ModelManifest manifest;
    private final FlatTreeEnsemble trees;
    private final Map<String, ProductProfile> profiles;
    private final Map<String, Product> products;
    private final TreePathContributions contributions;

    public GbtDemandModel(ModelManifest manifest, FlatTreeEnsemble trees, Map<String, ProductProfile> profiles) {
        if (trees.features() != GbtDemandFeatures.NAMES.size()) {
            throw new IllegalArgumentException("demand GBT expects " + GbtDemandFeatures.NAMES.size() + " features, trees use "
                    + trees.features());
        }
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("demand GBT needs at least one product profile");
        }
        this.manifest = manifest;
        this.trees = trees;
        this.profiles = Map.copyOf(profiles);
        Map<String, Product> p = new HashMap<>();
        profiles.forEach((id, profile) -> p.put(id, new Product(profile, profile.prefixSums())));
        this.products = Map.copyOf(p);
        this.contributions = new TreePathContributions(trees);
    }

    /** Tree-path contributions of every feature ({@link TreePathContributions}); base + contributions = the forecast. */
    @Override
    public ForecastExplanation explain(DemandQuery query) {
        double[] x = features(query);
        double[] c = new double[x.length];
        double y = contributions.contributions(x, c);
        List<ForecastExplanation.Contribution> out = new ArrayList<>(x.length);
        for (int i = 0; i < x.length; i++) {
            out.add(new ForecastExplanation.Contribution(GbtDemandFeatures.NAMES.get(i), x[i], c[i]));
        }
        return new ForecastExplanation("tree-path", contributions.base(), y, out);
    }

    @Override
    public double predict(DemandQuery query) {
        return trees.predict(features(query));
    }

    /** The model's input vector for a query ({@link GbtDemandFeatures#NAMES} order). */
    public double[] features(DemandQuery query) {
        Product p = products.get(query.productId());
        if (p == null) {
            throw new UnknownProductException(query.productId());
        }
        return GbtDemandFeatures.of(query, p.profile(), p.prefix());
    }

    @Override
    public Set<String> products() {
        return profiles.keySet();
    }

    public FlatTreeEnsemble trees() {
        return trees;
    }

    public Map<String, ProductProfile> profiles() {
        return profiles;
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }
}
