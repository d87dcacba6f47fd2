package com.orderintel.advisor.model;

import com.orderintel.anomaly.AnomalyDetector;
import com.orderintel.anomaly.AnomalyResult;
import com.orderintel.anomaly.OrderMetrics;
import com.orderintel.forecast.DemandForecaster;
import com.orderintel.forecast.DemandQuery;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ServableModel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a decoded model before it may serve: the manifest is complete and consistent with the model type, and
 * canary predictions on rows built from the training profile are finite and plausible. This catches artifacts
 * that pass their checksum and decode but are unusable (NaN coefficients, a nonsense threshold) before they
 * replace a working model.
 */
final class ModelValidator {

    private ModelValidator() {
    }

    /** Returns the slot the model fills; throws {@link IllegalStateException} naming every problem found. */
    static ModelSlot<?> validate(ServableModel model) {
        ModelManifest m = model.manifest();
        if (m == null) {
            throw new IllegalStateException("model has no manifest");
        }
        List<String> problems = new ArrayList<>();
        if (blank(m.name())) {
            problems.add("manifest has no name");
        }
        if (blank(m.version())) {
            problems.add("manifest has no version");
        }
        if (m.task() == null) {
            problems.add("manifest has no task");
        }
        if (m.features() == null || m.features().isEmpty()) {
            problems.add("manifest lists no features");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        ModelSlot<?> slot = ModelSlot.forTask(m.task());
        if (!slot.type().isInstance(model)) {
            throw new IllegalStateException("manifest task " + m.task() + " but the artifact decoded to "
                    + model.getClass().getSimpleName() + ", not a " + slot.type().getSimpleName());
        }
        if (model instanceof DemandForecaster d) {
            canary(d, m);
        } else if (model instanceof AnomalyDetector a) {
            canary(a, m);
        }
        return slot;
    }

    /** Demand on the training medians, minima and maxima of every feature: finite and of a plausible size. */
    private static void canary(DemandForecaster model, ModelManifest m) {
        String product = model.products().isEmpty() ? "canary" : model.products().iterator().next();
        for (Canary c : Canary.values()) {
            double prediction = model.predict(new DemandQuery(LocalDate.now(), product, c.of(m, "avg_basket_value"),
                    (int) Math.round(Math.min(1, Math.max(0, c.of(m, "promo_flag"))))));
            if (!Double.isFinite(prediction) || Math.abs(prediction) > MAX_PLAUSIBLE_DEMAND) {
                throw new IllegalStateException("canary forecast on the training " + c.label + " is " + prediction);
            }
        }
    }

    /**
     * Anomaly on the training medians, minima and maxima: a decision value is s(x) minus the contamination offset,
     * both in (0, 1), so anything outside [-1, 1] (or a probability outside [0, 1]) is a broken model.
     */
    private static void canary(AnomalyDetector model, ModelManifest m) {
        for (Canary c : Canary.values()) {
            double[] x = OrderMetrics.FEATURES.stream().mapToDouble(f -> c.of(m, f)).toArray();
            AnomalyResult r = model.score(new OrderMetrics("canary", x[0], x[1], x[2]));
            if (!(r.score() >= -1 && r.score() <= 1) || !(r.approxProbability() >= 0 && r.approxProbability() <= 1)) {
                throw new IllegalStateException("canary score on the training " + c.label + " is " + r.score()
                        + " (approx_probability " + r.approxProbability() + "); a decision value lies in [-1, 1]");
            }
        }
    }

    /** Units of demand per product and day beyond which a forecast is nonsense for this shop, not a forecast. */
    static final double MAX_PLAUSIBLE_DEMAND = 1e7;

    /** The canary rows: every feature at its training median, minimum or maximum (0 when the manifest lacks it). */
    private enum Canary {
        MEDIANS("medians"), MINIMA("minima"), MAXIMA("maxima");

        private final String label;

        Canary(String label) {
            this.label = label;
        }

        double of(ModelManifest m, String feature) {
            ModelManifest.FeatureSpec spec = m.feature(feature);
            Double v = spec == null ? null : switch (this) {
                case MEDIANS -> spec.median() != null ? spec.median() : spec.min();
                case MINIMA -> spec.min();
                case MAXIMA -> spec.max();
            };
            return v == null ? 0 : v;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
