package com.orderintel.training.forecast;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.ProductBaseline;

import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits each product's {@link ProductBaseline} on the training rows only: least squares of demand on
 * {@code [1, day - origin, basket - basketCentre, promo, sin, cos, Tuesday..Sunday]}, then a few rounds of Huber
 * re-weighting so that a handful of extreme days (stock-outs, one-off spikes) cannot tilt the trend line that
 * serving extrapolates. Twelve columns: the weighted normal equations are accumulated here and solved by Tribuo's
 * Cholesky (pure Java; Smile's solvers would load the native OpenBLAS for a 12x12 system).
 * Columns constant over a product's rows (never on promotion, a single weekday) are left out: their effect is 0.
 */
final class BaselineFit {

    static final int COLUMNS = 12;
    /** Huber's tuning constant (95 % efficiency under normal noise), in units of the robust residual scale. */
    private static final double HUBER_K = 1.345;

    private final int huberRounds;

    BaselineFit(int huberRounds) {
        this.huberRounds = huberRounds;
    }

    Map<String, ProductBaseline> fit(List<DemandRow> rows) {
        Map<String, List<DemandRow>> byProduct = new TreeMap<>();
        for (DemandRow r : rows) {
            byProduct.computeIfAbsent(r.productId(), k -> new ArrayList<>()).add(r);
        }
        // Products are independent: fitted in parallel (the fit is the one single-threaded step before XGBoost).
        Map<String, ProductBaseline> out = new TreeMap<>();
        List<Map.Entry<String, List<DemandRow>>> entries = new ArrayList<>(byProduct.entrySet());
        List<ProductBaseline> fitted = entries.parallelStream().map(e -> fitProduct(e.getValue())).toList();
        for (int i = 0; i < entries.size(); i++) {
            out.put(entries.get(i).getKey(), fitted.get(i));
        }
        return out;
    }

    ProductBaseline fitProduct(List<DemandRow> rows) {
        int n = rows.size();
        double origin = 0;
        double basketCentre = 0;
        double mean = 0;
        for (DemandRow r : rows) {
            origin += r.date().toEpochDay();
            basketCentre += r.avgBasketValue();
            mean += r.demand();
        }
        origin /= n;
        basketCentre /= n;
        mean /= n;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            DemandRow r = rows.get(i);
            x[i] = design(r, origin, basketCentre);
            y[i] = r.demand();
        }
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
        int[] columns = varying(x);
        double[] beta = solve(x, y, w, columns);
        for (int round = 0; round < huberRounds; round++) {
            double[] abs = new double[n];
            for (int i = 0; i < n; i++) {
                abs[i] = Math.abs(y[i] - dot(x[i], beta));
            }
            double scale = 1.4826 * median(abs.clone()); // MAD of the residuals (their median is about 0)
            if (!(scale > 1e-9 * Math.max(1, Math.abs(mean)))) {
                break; // an exact fit (rounding-level residuals): nothing to down-weight
            }
            double c = HUBER_K * scale;
            for (int i = 0; i < n; i++) {
                w[i] = abs[i] <= c ? 1 : c / abs[i];
            }
            beta = solve(x, y, w, columns);
        }
        double[] dow = new double[7];
        System.arraycopy(beta, 6, dow, 1, 6);
        // The level is the line at the product's average promotion rate, season and weekday mix (not at Monday
        // without promotion): then it is proportional to the product's underlying level at every date, and the
        // trees' target, demand / level, does not drift with it. (An effect times its column's mean.)
        double level = beta[0];
        for (int c = 3; c < COLUMNS; c++) {
            double columnMean = 0;
            for (double[] xi : x) {
                columnMean += xi[c];
            }
            level += beta[c] * columnMean / n;
        }
        double floor = Math.max(1.0, 0.1 * mean);
        return new ProductBaseline(origin, level, beta[1], floor, basketCentre, beta[2], beta[4], beta[5], dow, beta[3], mean);
    }

    /** One row's design: intercept, centred day, centred basket, promo, yearly sin/cos, Tuesday..Sunday indicators. */
    static double[] design(DemandRow r, double origin, double basketCentre) {
        double[] d = new double[COLUMNS];
        double angle = ProductBaseline.yearAngle(r.date());
        d[0] = 1;
        d[1] = r.date().toEpochDay() - origin;
        d[2] = r.avgBasketValue() - basketCentre;
        d[3] = r.promoFlag();
        d[4] = Math.sin(angle);
        d[5] = Math.cos(angle);
        int dow = r.date().getDayOfWeek().getValue() - 1;
        if (dow > 0) {
            d[5 + dow] = 1;
        }
        return d;
    }

    /** Indices of the columns that vary over the rows (the intercept always): only those are estimated. */
    static int[] varying(double[][] x) {
        int[] idx = new int[COLUMNS];
        int m = 0;
        for (int p = 0; p < COLUMNS; p++) {
            boolean varies = p == 0;
            for (int i = 1; i < x.length && !varies; i++) {
                varies = x[i][p] != x[0][p];
            }
            if (varies) {
                idx[m++] = p;
            }
        }
        return java.util.Arrays.copyOf(idx, m);
    }

    /** Weighted least squares over the columns {@code idx} through the normal equations; other coefficients are 0. */
    static double[] solve(double[][] x, double[] y, double[] w, int[] idx) {
        int m = idx.length;
        double[][] a = new double[m][m];
        double[] b = new double[m];
        double[] xs = new double[m];
        for (int i = 0; i < x.length; i++) {
            double[] xi = x[i];
            for (int p = 0; p < m; p++) {
                xs[p] = xi[idx[p]];
            }
            double wi = w[i];
            for (int p = 0; p < m; p++) {
                double wx = wi * xs[p];
                b[p] += wx * y[i];
                double[] ap = a[p];
                for (int q = 0; q <= p; q++) {
                    ap[q] += wx * xs[q];
                }
            }
        }
        // Tribuo's Cholesky, with a relative ridge of 1e-10 on the diagonal against near-collinearity.
        double[][] full = new double[m][m];
        for (int p = 0; p < m; p++) {
            for (int q = 0; q <= p; q++) {
                full[p][q] = full[q][p] = p == q ? a[p][p] * (1 + 1e-10) : a[p][q];
            }
        }
        double[] sol = DenseMatrix.createDenseMatrix(full).choleskyFactorization()
                .map(c -> c.solve(DenseVector.createDenseVector(b)).toArray())
                .orElseThrow(() -> new DataException("the demand baseline's least squares is singular for a product ("
                        + x.length + " rows): give it more varied data"));
        double[] beta = new double[COLUMNS];
        for (int i = 0; i < m; i++) {
            beta[idx[i]] = sol[i];
        }
        return beta;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double median(double[] v) {
        java.util.Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
