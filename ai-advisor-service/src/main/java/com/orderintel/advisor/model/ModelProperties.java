package com.orderintel.advisor.model;

import org.springframework.boot.context.properties.ConfigurationProperties;
import com.orderintel.registry.ServingBudget;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which models to serve ({@code MODEL_URI}, {@code MODEL_URI_DEMAND}, {@code MODEL_URI_ANOMALY}) and how
 * hard to try at start: the registry may not be reachable yet when the pod starts, so loading is retried
 * {@code loadAttempts} times with exponential backoff from {@code loadBackoff} up to {@code loadMaxBackoff}. Aliases
 * are re-resolved every {@code watchInterval} (0 = never) so a promote or rollback reaches every replica.
 * {@code MODEL_URI_ANOMALY_SHADOW} / {@code MODEL_URI_DEMAND_SHADOW} name a candidate scored beside the served model
 * (shadow, off the request path) and optionally serving a canary share (see the shadow package).
 * {@code maxServingBytes} bounds the memory one model's serving form may take (see {@link ServingBudget}).
 */
@ConfigurationProperties("advisor.models")
public record ModelProperties(
        String uri,
        String demandUri,
        String anomalyUri,
        @DefaultValue("5") int loadAttempts,
        @DefaultValue("2s") Duration loadBackoff,
        @DefaultValue("30s") Duration loadMaxBackoff,
        @DefaultValue("30s") Duration watchInterval,
        String anomalyShadowUri,
        String demandShadowUri,
        DataSize maxServingBytes) {

    @ConstructorBinding // the canonical one (there is a shorter constructor for code that predates the budget)
    public ModelProperties {
    }

    /** Without a serving budget of its own: {@code MODEL_MAX_SERVING_BYTES} or the registry's default applies. */
    public ModelProperties(String uri, String demandUri, String anomalyUri, int loadAttempts, Duration loadBackoff,
                           Duration loadMaxBackoff, Duration watchInterval, String anomalyShadowUri, String demandShadowUri) {
        this(uri, demandUri, anomalyUri, loadAttempts, loadBackoff, loadMaxBackoff, watchInterval, anomalyShadowUri,
                demandShadowUri, null);
    }

    /**
     * The most heap one model's serving form may take ({@code advisor.models.max-serving-bytes}, e.g. {@code 64MB});
     * unset: {@code MODEL_MAX_SERVING_BYTES} as the training runner reads it, else {@link ServingBudget#DEFAULT}.
     */
    public ServingBudget servingBudget() {
        return maxServingBytes == null ? ServingBudget.fromEnvironment() : new ServingBudget(maxServingBytes.toBytes());
    }

    /** Configured URIs by property name, blanks dropped. */
    public Map<String, String> configured() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "advisor.models.uri", uri);
        put(out, "advisor.models.demand-uri", demandUri);
        put(out, "advisor.models.anomaly-uri", anomalyUri);
        return out;
    }

    /** Configured shadow (candidate) URIs by property name, blanks dropped. */
    public Map<String, String> configuredShadows() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, ANOMALY_SHADOW, anomalyShadowUri);
        put(out, DEMAND_SHADOW, demandShadowUri);
        return out;
    }

    static final String ANOMALY_SHADOW = "advisor.models.anomaly-shadow-uri";
    static final String DEMAND_SHADOW = "advisor.models.demand-shadow-uri";

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null && !value.isBlank()) {
            out.put(key, value.strip());
        }
    }
}
