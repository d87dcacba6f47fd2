package com.orderintel.training.forecast;

import java.util.LinkedHashMap;
import java.util.Map;

/** MAE, RMSE and R² (1 - SS_res / SS_tot, as scikit-learn's r2_score) of predictions against actuals. */
public record RegressionMetrics(double mae, double rmse, double r2, int n) {

    public static RegressionMetrics of(double[] actual, double[] predicted) {
        int n = actual.length;
        double mean = 0;
        for (double a : actual) {
            mean += a;
        }
        mean /= n;
        double abs = 0;
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < n; i++) {
            double e = actual[i] - predicted[i];
            abs += Math.abs(e);
            ssRes += e * e;
            ssTot += (actual[i] - mean) * (actual[i] - mean);
        }
        double r2 = ssTot == 0 ? (ssRes == 0 ? 1.0 : 0.0) : 1 - ssRes / ssTot;
        return new RegressionMetrics(abs / n, Math.sqrt(ssRes / n), r2, n);
    }

    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mae", mae);
        m.put("rmse", rmse);
        m.put("r2", r2);
        m.put("test_rows", (double) n);
        return m;
    }
}
