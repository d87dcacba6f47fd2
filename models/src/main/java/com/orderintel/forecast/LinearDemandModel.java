package com.orderintel.forecast;

import com.orderintel.registry.ModelManifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ordinary least squares per product over {@link DemandFeatures}: one intercept and five coefficients per
 * product id. Fitted by Smile in the training runner; serving is a dot product, no library needed.
 */
public final class LinearDemandModel implements DemandForecaster {

    public static final String FORMAT = "ols-linear/v1";

    /** Intercept and coefficients in {@link DemandFeatures#NAMES} order. */
    public record Coefficients(double intercept, double[] weights) {
        public Coefficients {
            if (weights.length != DemandFeatures.NAMES.size()) {
                throw new IllegalArgumentException("expected " + DemandFeatures.NAMES.size() + " weights, got " + weights.length);
            }
            weights = weights.clone();
        }

        public double apply(double[] x) {
            double y = intercept;
            for (int i = 0; i < x.length; i++) {
                y += weights[i] * x[i];
            }
            return y;
        }
    }

    private final ModelManifest manifest;
    private final Map<String, Coefficients> byProduct;

    public LinearDemandModel(ModelManifest manifest, Map<String, Coefficients> byProduct) {
        this.manifest = manifest;
        this.byProduct = Map.copyOf(byProduct);
    }

    @Override
    public double predict(DemandQuery query) {
        Coefficients c = byProduct.get(query.productId());
        if (c == null) {
            throw new UnknownProductException(query.productId());
        }
        return c.apply(DemandFeatures.of(query));
    }

    /**
     * Exact for a linear model: contribution_i = w_i * (x_i - m_i) and base = intercept + sum w_i * m_i, where m_i
     * is feature i's training median from the manifest (the reference a person reads "above usual" against; the
     * manifest keeps no means). A feature without a median is measured from 0.
     */
    @Override
    public ForecastExplanation explain(DemandQuery query) {
        Coefficients c = byProduct.get(query.productId());
        if (c == null) {
            throw new UnknownProductException(query.productId());
        }
        double[] x = DemandFeatures.of(query);
        double base = c.intercept();
        List<ForecastExplanation.Contribution> out = new ArrayList<>(x.length);
        for (int i = 0; i < x.length; i++) {
            String name = DemandFeatures.NAMES.get(i);
            ModelManifest.FeatureSpec spec = manifest == null ? null : manifest.feature(name);
            double reference = spec != null && spec.median() != null ? spec.median() : 0;
            base += c.weights()[i] * reference;
            out.add(new ForecastExplanation.Contribution(name, x[i], c.weights()[i] * (x[i] - reference)));
        }
        return new ForecastExplanation("linear", base, c.apply(x), out);
    }

    @Override
    public Set<String> products() {
        return byProduct.keySet();
    }

    public Map<String, Coefficients> coefficients() {
        return byProduct;
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }
}
