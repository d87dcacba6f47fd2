package com.orderintel.training.forecast;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.DemandRow;
import com.orderintel.forecast.DemandFeatures;
import com.orderintel.forecast.LinearDemandCodec;
import com.orderintel.forecast.LinearDemandModel;
import com.orderintel.training.TrainingProgress;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The linear baseline of the Python experiments: ordinary least squares with an intercept on {@link DemandFeatures}, one fit per product (a
 * file with one product is exactly their LinearRegression; OlsParityTest holds the coefficients to scikit-learn's).
 *
 * <p>Solved from the centred, unit-scaled normal equations with Tribuo's Cholesky factorisation: five features
 * make a 5x5 system accumulated in one pass over the rows, and scaling every column to unit variance keeps it well
 * conditioned (day_of_year spans hundreds, the flags 0/1), so the solution agrees with a QR least-squares fit far
 * below the printed digits. This replaced Smile's OLS (QR through OpenBLAS), whose data-frame copy and native
 * linking cost more than the fit itself on a 100k-row file and put a native library on the default path.
 */
public final class OlsDemandTrainer implements DemandTrainer {

    public static final String NAME = "ols";

    @Override
    public String name() {
        return NAME;
    }

    /** OLS has no tuning: the manifest records how it was solved. */
    @Override
    public Map<String, Object> hyperParameters(Flags flags) {
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("method", "normal equations (centred, scaled; Cholesky)");
        hyper.put("per_product", true);
        return hyper;
    }

    @Override
    public DemandFit fit(List<DemandRow> train, Map<String, Object> hyper, long seed, TrainingProgress progress) {
        double[][] x = new double[train.size()][]; // once, for the fit and the feature profiles
        for (int i = 0; i < x.length; i++) {
            x[i] = DemandFeatures.of(train.get(i));
        }
        // the profiles need only the matrix: computed on the common pool while OLS fits
        var profiles = DemandTraining.profiles(DemandFeatures.NAMES, x, train);
        Map<String, LinearDemandModel.Coefficients> coefficients = fit(train, x);
        return new DemandFit(LinearDemandModel.FORMAT, "model.json", LinearDemandCodec.encode(coefficients), profiles,
                m -> new LinearDemandModel(m, coefficients));
    }

    /** A fit with the rows' features computed here. */
    public Map<String, LinearDemandModel.Coefficients> fit(List<DemandRow> rows) {
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = DemandFeatures.of(rows.get(i));
        }
        return fit(rows, x);
    }

    /** A fit per product, in product order; {@code x[i]} is {@code DemandFeatures.of(rows.get(i))}. */
    public Map<String, LinearDemandModel.Coefficients> fit(List<DemandRow> rows, double[][] x) {
        int p = DemandFeatures.NAMES.size();
        Map<String, Integer> index = new HashMap<>();
        int[] productOf = new int[rows.size()];
        for (int i = 0; i < productOf.length; i++) {
            productOf[i] = index.computeIfAbsent(rows.get(i).productId(), k -> index.size());
        }
        int products = index.size();
        // two passes over all rows with per-product sums (no per-product row lists): means, then centred
        // cross-products, where the intercept drops out and with it the large offset of day_of_year
        long[] n = new long[products];
        double[][] mean = new double[products][p];
        double[] meanY = new double[products];
        for (int i = 0; i < productOf.length; i++) {
            int k = productOf[i];
            n[k]++;
            for (int f = 0; f < p; f++) {
                mean[k][f] += x[i][f];
            }
            meanY[k] += rows.get(i).demand();
        }
        for (int k = 0; k < products; k++) {
            for (int f = 0; f < p; f++) {
                mean[k][f] /= n[k];
            }
            meanY[k] /= n[k];
        }
        double[][][] sxx = new double[products][p][p];
        double[][] sxy = new double[products][p];
        double[] d = new double[p];
        for (int i = 0; i < productOf.length; i++) {
            int k = productOf[i];
            for (int f = 0; f < p; f++) {
                d[f] = x[i][f] - mean[k][f];
            }
            double dy = rows.get(i).demand() - meanY[k];
            double[][] s = sxx[k];
            for (int a = 0; a < p; a++) {
                sxy[k][a] += d[a] * dy;
                for (int b = 0; b <= a; b++) {
                    s[a][b] += d[a] * d[b];
                }
            }
        }
        Map<String, LinearDemandModel.Coefficients> out = new LinkedHashMap<>();
        for (var e : new TreeMap<>(index).entrySet()) {
            int k = e.getValue();
            out.put(e.getKey(), solve(e.getKey(), n[k], mean[k], meanY[k], sxx[k], sxy[k]));
        }
        return out;
    }

    private static LinearDemandModel.Coefficients solve(String product, long n, double[] mean, double meanY,
                                                        double[][] sxx, double[] sxy) {
        int p = mean.length;
        if (n <= p + 1) {
            throw new DataException("product '" + product + "' has " + n + " training rows; OLS on "
                    + p + " features needs at least " + (p + 2));
        }
        double[] scale = new double[p];
        for (int a = 0; a < p; a++) {
            if (!(sxx[a][a] > 0)) {
                throw new DataException("OLS for product '" + product + "': feature '" + DemandFeatures.NAMES.get(a)
                        + "' has the same value on all " + n + " training rows, so its weight is undetermined; give this "
                        + "product more varied data (e.g. some days with and without a promotion)");
            }
            scale[a] = Math.sqrt(sxx[a][a]);
        }
        double[][] corr = new double[p][p];
        double[] rhs = new double[p];
        for (int a = 0; a < p; a++) {
            rhs[a] = sxy[a] / scale[a];
            for (int b = 0; b <= a; b++) {
                corr[a][b] = corr[b][a] = sxx[a][b] / (scale[a] * scale[b]);
            }
        }
        double[] z = DenseMatrix.createDenseMatrix(corr).choleskyFactorization()
                .map(c -> c.solve(DenseVector.createDenseVector(rhs)).toArray())
                .orElseThrow(() -> new DataException("OLS for product '" + product + "': the features are collinear "
                        + "on its " + n + " training rows (one is a combination of the others); give it more varied data"));
        double[] weights = new double[p];
        double intercept = meanY;
        for (int a = 0; a < p; a++) {
            weights[a] = z[a] / scale[a];
            intercept -= weights[a] * mean[a];
        }
        if (!Double.isFinite(intercept) || java.util.Arrays.stream(weights).anyMatch(v -> !Double.isFinite(v))) {
            throw new DataException("OLS for product '" + product + "' produced non-finite coefficients: the features are "
                    + "collinear for this product; give it more varied data");
        }
        return new LinearDemandModel.Coefficients(intercept, weights);
    }
}
