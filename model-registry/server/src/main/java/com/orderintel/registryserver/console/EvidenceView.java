package com.orderintel.registryserver.console;

import com.orderintel.registry.ModelManifest;
import com.orderintel.registryserver.evidence.LiveEvidence;
import com.orderintel.shadow.ShadowEvidence;

import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live evidence of one version as the console shows it: labelled figures, the pairs by source, drift per
 * feature and the daily line; {@code problem} says why a part is missing (no capture store, database away).
 */
record EvidenceView(String problem, Map<String, String> figures, List<ShadowEvidence.BySource> bySource,
                    Map<String, LiveEvidence.FeatureDrift> drift, String rollingSvg) {

    static EvidenceView of(LiveEvidence evidence, ModelManifest m) {
        if (!evidence.configured()) {
            return new EvidenceView("No capture store configured (REGISTRY_CAPTURE_URL): live evidence is not shown.", Map.of(),
                    List.of(), Map.of(), null);
        }
        try {
            Map<String, String> figures = new LinkedHashMap<>();
            List<ShadowEvidence.BySource> bySource;
            Object shadow = evidence.shadow(m);
            if (shadow instanceof ShadowEvidence.Anomaly a) {
                figures.put("scored beside another version", Long.toString(a.scored()));
                figures.put("agreement (same flag)", pct(a.agreement()));
                figures.put("score correlation", Charts.num(a.correlation()));
                figures.put("labelled", Long.toString(a.labelled()));
                figures.put("precision: this version / the one beside it", pct(a.candidate().precision()) + " / " + pct(a.primary().precision()));
                figures.put("recall: this version / the one beside it", pct(a.candidate().recall()) + " / " + pct(a.primary().recall()));
                bySource = a.bySource();
            } else {
                ShadowEvidence.Demand d = (ShadowEvidence.Demand) shadow;
                figures.put("scored beside another version", Long.toString(d.scored()));
                figures.put("mean |difference| of forecasts", Charts.num(d.maeBetween()));
                figures.put("with actuals", Long.toString(d.withActuals()));
                figures.put("MAE: this version / the one beside it", Charts.num(d.candidateMae()) + " / " + Charts.num(d.primaryMae()));
                bySource = d.bySource();
            }
            Map<String, LiveEvidence.FeatureDrift> drift = new LinkedHashMap<>();
            evidence.drift(m).forEach(f -> drift.put(f.feature(), f));
            LiveEvidence.Rolling rolling = evidence.rolling(m, 14);
            List<java.time.Instant> days = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            rolling.byDay().forEach(d -> {
                days.add(d.day().atStartOfDay().toInstant(ZoneOffset.UTC));
                values.add(d.value());
            });
            String svg = Charts.line(rolling.metric() + " against feedback, by day (" + rolling.days() + " days)", days, values);
            return new EvidenceView(null, figures, bySource, drift, svg);
        } catch (SQLException e) {
            return new EvidenceView("The capture store did not answer: " + e.getMessage(), Map.of(), List.of(), Map.of(), null);
        }
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.1f %%", v * 100) : "n/a";
    }
}
