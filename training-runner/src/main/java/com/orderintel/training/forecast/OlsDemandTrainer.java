package com.orderintel.training.forecast;

import com.orderintel.forecast.DemandFeatures;
import com.orderintel.forecast.LinearDemandModel;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.DemandRow;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.LinearModel;
import smile.regression.OLS;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The original baseline: ordinary least squares on {@link DemandFeatures}, one fit per product (a file with
 * one product is exactly the original). Fitted by Smile's OLS (QR decomposition through OpenBLAS).
 */
public final class OlsDemandTrainer {

    private static final String TARGET = "demand";

    public Map<String, LinearDemandModel.Coefficients> fit(List<DemandRow> rows) {
        Map<String, List<DemandRow>> byProduct = new HashMap<>(); // hashing, then one sort of the few products
        for (DemandRow r : rows) {
            byProduct.computeIfAbsent(r.productId(), k -> new ArrayList<>()).add(r);
        }
        Map<String, LinearDemandModel.Coefficients> out = new LinkedHashMap<>();
        for (var e : new TreeMap<>(byProduct).entrySet()) {
            out.put(e.getKey(), fitOne(e.getKey(), e.getValue()));
        }
        return out;
    }

    private LinearDemandModel.Coefficients fitOne(String product, List<DemandRow> rows) {
        int p = DemandFeatures.NAMES.size();
        if (rows.size() <= p + 1) {
            throw new DataException("product '" + product + "' has " + rows.size() + " training rows; OLS on "
                    + p + " features needs at least " + (p + 2));
        }
        double[][] data = new double[rows.size()][];
        for (int i = 0; i < data.length; i++) {
            DemandRow r = rows.get(i);
            double[] x = r.features();
            double[] row = java.util.Arrays.copyOf(x, p + 1);
            row[p] = r.demand();
            data[i] = row;
        }
        String[] names = new ArrayList<>(DemandFeatures.NAMES) {{ add(TARGET); }}.toArray(String[]::new);
        LinearModel model;
        try {
            model = OLS.fit(Formula.lhs(TARGET), DataFrame.of(data, names), new OLS.Options(OLS.Method.QR, false, false));
        } catch (ExceptionInInitializerError | NoClassDefFoundError | UnsatisfiedLinkError e) {
            // Smile's OLS calls the system OpenBLAS through java.lang.foreign.
            throw new IllegalStateException("OLS needs the system OpenBLAS library (libopenblas.so), which could not be "
                    + "loaded: install it with 'apt-get install libopenblas-dev' (Debian/Ubuntu)", e);
        } catch (RuntimeException e) {
            throw new DataException("OLS failed for product '" + product + "': " + e.getMessage()
                    + " (are some features constant for this product, e.g. never a promotion?)", e);
        }
        double[] w = model.coefficients().toArray(new double[0]);
        // Smile's coefficients() is [intercept, w1..wp] when the model has a bias term.
        double intercept = model.intercept();
        double[] weights = w.length == p + 1 ? java.util.Arrays.copyOfRange(w, 1, p + 1) : w;
        if (!Double.isFinite(intercept) || java.util.Arrays.stream(weights).anyMatch(v -> !Double.isFinite(v))) {
            throw new DataException("OLS for product '" + product + "' produced non-finite coefficients: the features are "
                    + "collinear for this product (e.g. promo_flag never varies); give it more varied data");
        }
        return new LinearDemandModel.Coefficients(intercept, weights);
    }
}
