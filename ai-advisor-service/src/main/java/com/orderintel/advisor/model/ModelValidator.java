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
 * Checks a decoded model before it may serve: the manifest is complete and consistent with the model type,
 * and a canary prediction on the training medians is finite. This catches artifacts that decode but are
 * unusable (e.g. NaN coefficients) before they replace a working model.
 */
final class ModelValidator {

    private ModelValidator() {
    }

    /** Returns the slot the model fills; throws {@link IllegalStateException} naming every problem found. */
    static ModelSlot validate(ServableModel model) {
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
        ModelSlot slot = ModelSlot.forTask(m.task());
        if (!slot.type().isInstance(model)) {
            throw new IllegalStateException("manifest task " + m.task() + " but the artifact decoded to "
                    + model.getClass().getSimpleName() + ", not a " + slot.type().getSimpleName());
        }
        switch (slot) {
            case DEMAND -> canary((DemandForecaster) model, m);
            case ANOMALY -> canary((AnomalyDetector) model, m);
        }
        return slot;
    }

    private static void canary(DemandForecaster model, ModelManifest m) {
        String product = model.products().isEmpty() ? "canary" : model.products().iterator().next();
        double prediction = model.predict(new DemandQuery(LocalDate.now(), product, median(m, "avg_basket_value"), 0));
        if (!Double.isFinite(prediction)) {
            throw new IllegalStateException("canary prediction on the training medians is " + prediction);
        }
    }

    private static void canary(AnomalyDetector model, ModelManifest m) {
        AnomalyResult r = model.score(new OrderMetrics("canary", median(m, "avg_processing_ms"),
                median(m, "item_count"), median(m, "payment_score")));
        if (!Double.isFinite(r.score()) || !Double.isFinite(r.approxProbability())) {
            throw new IllegalStateException("canary score on the training medians is " + r.score());
        }
    }

    private static double median(ModelManifest m, String feature) {
        ModelManifest.FeatureSpec spec = m.feature(feature);
        if (spec == null) {
            return 0;
        }
        if (spec.median() != null) {
            return spec.median();
        }
        return spec.min() != null ? spec.min() : 0;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
