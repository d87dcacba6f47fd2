package com.orderintel.advisor.feedback;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.advisor.model.ServedModels;
import com.orderintel.advisor.web.InvalidInputException;
import com.orderintel.registry.ModelManifest;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.Map;

/**
 * The largest {@code actual_demand} feedback may report: {@code max-demand-factor} times the largest demand the served
 * demand model was trained on (its manifest's {@code extensions.target_profile.max}), and never above the hard cap
 * {@code max-demand}. A label is training data: one absurd value (1e300) would dominate every squared error of the
 * next model and the rolling MAE.
 */
@Component
public class DemandCeiling {

    private final ServedModels models;
    private final FeedbackProperties properties;

    public DemandCeiling(ServedModels models, FeedbackProperties properties) {
        this.models = models;
        this.properties = properties;
    }

    /** Throws a 400 naming {@code actual_demand} and the bound when {@code demand} is above it. */
    public void check(double demand) {
        Double trainingMax = models.snapshot().get(ModelSlot.DEMAND).map(DemandCeiling::trainingMax).orElse(null);
        check(demand, trainingMax, properties);
    }

    /** The rule itself: at most factor x the training maximum (at least 1), never above the hard cap. */
    static void check(double demand, Double trainingMax, FeedbackProperties properties) {
        double byProfile = trainingMax == null ? Double.POSITIVE_INFINITY
                : properties.maxDemandFactor() * Math.max(trainingMax, 1);
        double ceiling = Math.min(properties.maxDemand(), byProfile);
        if (!(demand <= ceiling)) {
            throw new InvalidInputException("actual_demand", String.format(Locale.ROOT, "must be at most %.6g (%s)", ceiling,
                    byProfile < properties.maxDemand()
                            ? String.format(Locale.ROOT, "advisor.feedback.max-demand-factor %.6g x the served model's training "
                            + "maximum %.6g", properties.maxDemandFactor(), trainingMax)
                            : "advisor.feedback.max-demand"));
        }
    }

    static Double trainingMax(LoadedModel<?> model) {
        ModelManifest m = model.manifest();
        if (m == null || m.extensions() == null || !(m.extensions().get("target_profile") instanceof Map<?, ?> profile)) {
            return null;
        }
        return profile.get("max") instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
    }
}
