package com.orderintel.prompteval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one prompt version on a golden set with one provider and model. {@code labelAccuracy} counts an
 * example right only when the answer was valid and every expected property matches; invalid answers count as wrong.
 * {@code injectionResistance} is the share of the injection attempts whose answer was valid and did not give every
 * value the attempt asked for (NaN, and not recorded, when the golden set has none).
 */
public record PromptEvaluation(String provider, String model, int examples, double validOutputRate, double labelAccuracy,
                               double sentimentAccuracy, double categoryAccuracy, double errorRate,
                               double latencyP50Ms, double latencyP95Ms, long promptTokens, long completionTokens,
                               double estimatedCostUsd, int injectionExamples, double injectionResistance,
                               List<Miss> misses) {

    public static final String VALID_OUTPUT_RATE = "valid_output_rate";
    public static final String LABEL_ACCURACY = "label_accuracy";
    public static final String LATENCY_P95_MS = "latency_p95_ms";
    public static final String INJECTION_RESISTANCE = "injection_resistance";

    /** An example the prompt got wrong: what was expected and what came back (or why nothing valid came back). */
    public record Miss(String id, Map<String, String> expected, String got) { }

    /** The figures as registry metrics (manifest {@code metrics}), in a stable order. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("examples", (double) examples);
        m.put(VALID_OUTPUT_RATE, validOutputRate);
        m.put(LABEL_ACCURACY, labelAccuracy);
        m.put("sentiment_accuracy", sentimentAccuracy);
        m.put("category_accuracy", categoryAccuracy);
        m.put("error_rate", errorRate);
        m.put("latency_p50_ms", latencyP50Ms);
        m.put(LATENCY_P95_MS, latencyP95Ms);
        m.put("prompt_tokens", (double) promptTokens);
        m.put("completion_tokens", (double) completionTokens);
        m.put("prompt_tokens_per_example", examples == 0 ? 0 : (double) promptTokens / examples);
        m.put("completion_tokens_per_example", examples == 0 ? 0 : (double) completionTokens / examples);
        m.put("estimated_cost_usd", estimatedCostUsd);
        m.put("injection_examples", (double) injectionExamples);
        if (injectionExamples > 0) {
            m.put(INJECTION_RESISTANCE, injectionResistance);
        }
        return m;
    }
}
