package com.orderintel.training.anomaly;

import java.util.LinkedHashMap;
import java.util.Map;

/** Precision, recall and F1 of flagged orders against labels (1 = anomalous), and the flagged rate. */
public record DetectionMetrics(double precision, double recall, double f1, double anomalyRate, int n) {

    public static DetectionMetrics of(boolean[] flagged, int[] labels) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int flaggedCount = 0;
        for (int i = 0; i < flagged.length; i++) {
            if (flagged[i]) {
                flaggedCount++;
            }
            if (flagged[i] && labels[i] == 1) {
                tp++;
            } else if (flagged[i]) {
                fp++;
            } else if (labels[i] == 1) {
                fn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new DetectionMetrics(precision, recall, f1, (double) flaggedCount / flagged.length, flagged.length);
    }

    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("f1", f1);
        m.put("anomaly_rate", anomalyRate);
        m.put("rows", (double) n);
        return m;
    }
}
