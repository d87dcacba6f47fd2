package com.orderintel.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a serving process needs to trust and use one published model version: what it is, how it was
 * trained, on what data, how good it was and which artifact bytes belong to it. Written as YAML beside the
 * artifact; the artifact is only loaded when its sha256 matches {@link ArtifactRef#sha256()}.
 *
 * <p>Unknown fields are ignored so that an older reader keeps working with a newer writer of the same
 * {@link #schemaVersion() major schema version}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
        int schemaVersion,
        String name,
        String version,
        Task task,
        AlgorithmSpec algorithm,
        String target,
        List<FeatureSpec> features,
        Map<String, Double> metrics,
        DatasetRef dataset,
        String gitCommit,
        Instant createdAt,
        ArtifactRef artifact,
        Map<String, String> libraries,
        Map<String, Object> extensions) {

    /** The manifest schema this code writes and the highest major version it reads. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * What the version is. {@code PROMPT}: a prompt template version published with its evaluation figures
     * ({@code training-runner prompt eval}); the artifact is the template file, promoted through the prompt gate.
     */
    public enum Task { REGRESSION, ANOMALY, PROMPT }

    /** Algorithm name (e.g. {@code ols}, {@code gbt}, {@code isolation-forest}) and its hyper-parameters. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AlgorithmSpec(String name, Map<String, Object> hyperParameters) { }

    /** The data set the model was trained on: where it came from, its sha256 and how many rows it had. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DatasetRef(String uri, String sha256, long rows) { }

    /**
     * The artifact file beside the manifest. {@code format} names the serving codec (e.g.
     * {@code ols-linear/v1}, {@code isolation-forest-flat/v1}).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ArtifactRef(String file, String format, String sha256, long size) { }

    /**
     * One input feature in model order. Training range, median (used to impute a missing value) and a
     * histogram on quantile bin edges (so serving can compute a population stability index for drift).
     * {@code categories} lists the known values of a categorical feature (e.g. product ids).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FeatureSpec(
            String name,
            FeatureType type,
            Double min,
            Double max,
            Double median,
            Histogram histogram,
            List<String> categories) { }

    /** {@code TEXT}: free text such as a prompt's variable (no range or histogram). */
    public enum FeatureType { NUMERIC, INTEGER, BINARY, CATEGORICAL, DATE, TEXT }

    /**
     * Bin edges ({@code edges.size() == fractions.size() + 1}) and the fraction of training rows in each bin.
     * The first and last edges are the training min and max; serving puts values outside into the end bins.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Histogram(List<Double> edges, List<Double> fractions) {

        /**
         * The bin of {@code v} given the edges as an array: bins are [e_i, e_{i+1}), the last one closed; values
         * outside the training range go to the end bins. The one binning rule for training profiles and drift.
         */
        public static int binOf(double[] edges, double v) {
            int bins = edges.length - 1;
            int i = java.util.Arrays.binarySearch(edges, v);
            int idx = i >= 0 ? i : -i - 2;
            return Math.max(0, Math.min(bins - 1, idx));
        }

        /** Smoothing for empty bins, as is usual for PSI, so an empty bin does not make the index infinite. */
        public static final double PSI_EPSILON = 1e-4;

        /**
         * Population stability index of {@code counts} (observed per bin, {@code total} in all) against the
         * {@code expected} fractions: the one PSI of live drift (the service's windows, the registry server's evidence).
         */
        public static double psi(double[] expected, long[] counts, long total) {
            double psi = 0;
            for (int k = 0; k < expected.length; k++) {
                double e = Math.max(expected[k], PSI_EPSILON);
                double a = Math.max((double) counts[k] / total, PSI_EPSILON);
                psi += (a - e) * Math.log(a / e);
            }
            return psi;
        }
    }

    /** This manifest with evaluation metrics attached (training provenance unchanged). */
    public ModelManifest withMetrics(Map<String, Double> evaluated) {
        return new ModelManifest(schemaVersion, name, version, task, algorithm, target, features,
                evaluated == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evaluated)), dataset, gitCommit, createdAt, artifact, libraries, extensions);
    }

    /** The feature with this name, or null. */
    public FeatureSpec feature(String featureName) {
        if (features == null) {
            return null;
        }
        return features.stream().filter(f -> f.name().equals(featureName)).findFirst().orElse(null);
    }
}
