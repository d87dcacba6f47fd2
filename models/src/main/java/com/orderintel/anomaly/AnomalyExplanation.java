package com.orderintel.anomaly;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Why an order scored as it did: each feature's effect on the isolation forest's mean path length (see
 * {@link IsolationPathAttribution}), its share of all effects and where its value stands among the training
 * orders; features ordered from the one that shortened the paths most. {@code summary} says it in plain words.
 *
 * @param meanPath     E[h(x)], the order's mean path length over the trees
 * @param expectedPath the mean path length of a training order; {@code meanPath - expectedPath} is the sum of
 *                     the features' path effects
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AnomalyExplanation(String summary, double meanPath, double expectedPath, List<FeatureAttribution> features) {

    public AnomalyExplanation {
        features = List.copyOf(features);
    }

    /** The feature listed first: the one that shortened the isolation paths most. */
    public FeatureAttribution top() {
        return features.getFirst();
    }

    /**
     * One feature's part: {@code pathEffect} in path-length units (negative = shortened the paths, i.e. pushed the
     * order towards anomalous), {@code share} its part of the shortening (max(0, -effect) / sum of max(0, -effect); 0 for a feature that
     * lengthened the paths), {@code trainingPercentile} its value's
     * mid-rank percentile among the training orders (null when the manifest has no histogram for it) and
     * {@code text} the value's standing in words.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FeatureAttribution(String feature, double value, double pathEffect, double share,
                                     Double trainingPercentile, String text) { }
}
