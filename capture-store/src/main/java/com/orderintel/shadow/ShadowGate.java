package com.orderintel.shadow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The promotion gate on live evidence: a candidate is promoted only when it was scored beside the served model on
 * at least {@code minScored} live records and its figures reach the thresholds. Each failure names the figure, its
 * value and the threshold; no failure = accept.
 *
 * @param minScored    records scored by both models
 * @param minAgreement anomaly: share of equal flags
 * @param minPrecision anomaly: the candidate's precision against feedback
 * @param minLabelled  labelled records (orders with a label, forecasts with an actual) needed to judge accuracy;
 *                     like every figure here, counted over trusted scorings only (ShadowEvidence)
 * @param maxMaeRatio  demand: the candidate's MAE against actuals at most this times the primary's on the same records
 */
public record ShadowGate(long minScored, double minAgreement, double minPrecision, long minLabelled, double maxMaeRatio) {

    public ShadowGate {
        if (minScored < 1 || minLabelled < 1) {
            throw new IllegalArgumentException("--min-scored and --min-labelled must be at least 1");
        }
        if (!(minAgreement >= 0 && minAgreement <= 1) || !(minPrecision >= 0 && minPrecision <= 1)) {
            throw new IllegalArgumentException("--min-agreement and --min-precision must be between 0 and 1");
        }
        if (!(maxMaeRatio > 0)) {
            throw new IllegalArgumentException("--max-mae-ratio must be positive");
        }
    }

    /** Why the anomaly candidate is refused; empty when it passes. */
    public List<String> failures(ShadowEvidence.Anomaly e) {
        List<String> out = new ArrayList<>();
        if (e.scored() < minScored) {
            out.add("scored orders " + e.scored() + " < " + minScored + " (--min-scored): too little live evidence"
                    + anonymous(e.bySource()));
            return out;
        }
        if (!(e.agreement() >= minAgreement)) {
            out.add("agreement " + f(e.agreement()) + " < " + f(minAgreement) + " (--min-agreement)");
        }
        if (e.labelled() < minLabelled) {
            out.add("labelled orders " + e.labelled() + " < " + minLabelled + " (--min-labelled): precision cannot be judged");
        } else if (Double.isNaN(e.candidate().precision())) {
            out.add("precision undefined: the candidate flagged none of the " + e.labelled() + " labelled orders");
        } else if (e.candidate().precision() < minPrecision) {
            out.add("precision " + f(e.candidate().precision()) + " < " + f(minPrecision) + " (--min-precision)");
        }
        return out;
    }

    /** Why the demand candidate is refused; empty when it passes. */
    public List<String> failures(ShadowEvidence.Demand e) {
        List<String> out = new ArrayList<>();
        if (e.scored() < minScored) {
            out.add("scored forecasts " + e.scored() + " < " + minScored + " (--min-scored): too little live evidence"
                    + anonymous(e.bySource()));
            return out;
        }
        if (e.withActuals() < minLabelled) {
            out.add("forecasts with actuals " + e.withActuals() + " < " + minLabelled + " (--min-labelled): MAE cannot be judged");
        } else if (!(e.candidateMae() <= e.primaryMae() * maxMaeRatio)) {
            out.add("mae " + f(e.candidateMae()) + " > " + f(maxMaeRatio) + " x the primary's " + f(e.primaryMae())
                    + " (--max-mae-ratio)");
        }
        return out;
    }

    /** ", N anonymous scorings not counted" when there were any. */
    private static String anonymous(List<ShadowEvidence.BySource> bySource) {
        long n = bySource == null ? 0 : bySource.stream().filter(b -> !b.trusted()).mapToLong(ShadowEvidence.BySource::scored).sum();
        return n == 0 ? "" : " (" + n + " anonymous scorings not counted: only order events, batch runs and authenticated "
                + "callers are evidence)";
    }

    /** The figures, one line, for the command's output. */
    public static String describe(ShadowEvidence.Anomaly e) {
        return e.model() + " " + e.version() + " on live traffic: scored " + e.scored() + ", agreement " + f(e.agreement())
                + ", score correlation " + f(e.correlation()) + ", labelled " + e.labelled() + ", precision "
                + f(e.candidate().precision()) + " (primary " + f(e.primary().precision()) + "), recall "
                + f(e.candidate().recall()) + " (primary " + f(e.primary().recall()) + ")" + sources(e.bySource());
    }

    /** The evidence by entry point and trust, one indented line (anonymous pairs shown but not counted). */
    static String sources(List<ShadowEvidence.BySource> bySource) {
        return bySource == null || bySource.isEmpty() ? System.lineSeparator() + "  evidence by source: none"
                : System.lineSeparator() + "  evidence by source: " + String.join("; ", bySource.stream().map(Object::toString).toList());
    }

    public static String describe(ShadowEvidence.Demand e) {
        return e.model() + " " + e.version() + " on live traffic: scored " + e.scored() + ", mean |primary - candidate| "
                + f(e.maeBetween()) + ", with actuals " + e.withActuals() + ", mae " + f(e.candidateMae()) + " (primary "
                + f(e.primaryMae()) + ")" + sources(e.bySource());
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
