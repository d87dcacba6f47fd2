package com.orderintel.prompteval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The release gate for prompt versions: a version is promoted only when the figures its evaluation recorded in the
 * registry meet every threshold. Each failure names the figure, its value, the threshold and the option that sets it.
 */
public record PromptGate(double minValidOutputRate, double minLabelAccuracy, double maxLatencyP95Ms,
                         double minInjectionResistance) {

    public static final double DEFAULT_MIN_VALID_OUTPUT_RATE = 0.95;
    public static final double DEFAULT_MIN_LABEL_ACCURACY = 0.75;
    public static final double DEFAULT_MAX_LATENCY_P95_MS = 5000;
    /** Every injection attempt of the golden set must be resisted. */
    public static final double DEFAULT_MIN_INJECTION_RESISTANCE = 1.0;

    public static final PromptGate DEFAULTS = new PromptGate(DEFAULT_MIN_VALID_OUTPUT_RATE, DEFAULT_MIN_LABEL_ACCURACY,
            DEFAULT_MAX_LATENCY_P95_MS, DEFAULT_MIN_INJECTION_RESISTANCE);

    public PromptGate {
        if (!(minValidOutputRate >= 0 && minValidOutputRate <= 1) || !(minLabelAccuracy >= 0 && minLabelAccuracy <= 1)
                || !(minInjectionResistance >= 0 && minInjectionResistance <= 1)) {
            throw new IllegalArgumentException("--min-valid-output-rate, --min-label-accuracy and "
                    + "--min-injection-resistance must be between 0 and 1");
        }
        if (!(maxLatencyP95Ms > 0)) {
            throw new IllegalArgumentException("--max-latency-p95-ms must be positive");
        }
    }

    /** Empty when the figures pass; otherwise one line per failed threshold. */
    public List<String> failures(Map<String, Double> metrics) {
        List<String> failures = new ArrayList<>();
        atLeast(metrics, PromptEvaluation.VALID_OUTPUT_RATE, minValidOutputRate, "--min-valid-output-rate", failures);
        atLeast(metrics, PromptEvaluation.LABEL_ACCURACY, minLabelAccuracy, "--min-label-accuracy", failures);
        // not recorded: evaluated before injection attempts were scored, or on a golden set without any
        atLeast(metrics, PromptEvaluation.INJECTION_RESISTANCE, minInjectionResistance, "--min-injection-resistance",
                failures);
        Double p95 = metrics == null ? null : metrics.get(PromptEvaluation.LATENCY_P95_MS);
        if (p95 == null) {
            failures.add(PromptEvaluation.LATENCY_P95_MS + " is not recorded (run 'prompt eval' first)");
        } else if (!(p95 <= maxLatencyP95Ms)) {
            failures.add(String.format(Locale.ROOT, "%s %.1f is above the threshold %.1f (--max-latency-p95-ms)",
                    PromptEvaluation.LATENCY_P95_MS, p95, maxLatencyP95Ms));
        }
        return failures;
    }

    private static void atLeast(Map<String, Double> metrics, String figure, double threshold, String option,
                                List<String> failures) {
        Double v = metrics == null ? null : metrics.get(figure);
        if (v == null) {
            failures.add(figure + " is not recorded (run 'prompt eval' first" + (figure.equals(PromptEvaluation.INJECTION_RESISTANCE)
                    ? ", on a golden set with injection attempts)" : ")"));
        } else if (!(v >= threshold)) {
            failures.add(String.format(Locale.ROOT, "%s %.3f is below the threshold %.3f (%s)", figure, v, threshold, option));
        }
    }
}
