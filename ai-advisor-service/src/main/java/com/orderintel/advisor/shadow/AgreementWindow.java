package com.orderintel.advisor.shadow;

import com.orderintel.advisor.serving.ServingTask;

import java.util.List;

/**
 * The last N (primary, candidate) pairs of one model: flags and scores of anomaly scorings, forecasts of demand.
 * Cleared when either version changes (a promote, a new candidate), so the figures always describe the pair now in
 * service. Written by the one shadow thread, read by scrapes: synchronized, O(N) per read.
 */
final class AgreementWindow {

    private final double[] primary;
    private final double[] candidate;
    private final boolean[] agree;
    private long n;
    private boolean forecasts;
    private String versions = "";

    AgreementWindow(int size) {
        this.primary = new double[size];
        this.candidate = new double[size];
        this.agree = new boolean[size];
    }

    /** Adds the pairs of one scoring; the task says what is compared (flags and scores, or forecasts). */
    synchronized <O> void add(ServingTask<?, ?, O, ?> task, String primaryVersion, String candidateVersion, List<O> p, List<O> c) {
        resetOnChange(primaryVersion, candidateVersion, !task.decides());
        for (int i = 0; i < p.size(); i++) {
            add(task.compared(p.get(i)), task.compared(c.get(i)), task.sameDecision(p.get(i), c.get(i)));
        }
    }

    private void resetOnChange(String primaryVersion, String candidateVersion, boolean forecast) {
        String pair = primaryVersion + "|" + candidateVersion;
        if (!pair.equals(versions) || forecast != forecasts) {
            versions = pair;
            forecasts = forecast;
            n = 0;
        }
    }

    private void add(double p, double c, boolean agreed) {
        int i = (int) (n % primary.length);
        primary[i] = p;
        candidate[i] = c;
        agree[i] = agreed;
        n++;
    }

    synchronized long pairs() {
        return Math.min(n, primary.length);
    }

    /** Share of anomaly pairs with the same flag; NaN without anomaly pairs. */
    synchronized double agreement() {
        int filled = (int) pairs();
        if (filled == 0 || forecasts) {
            return Double.NaN;
        }
        int same = 0;
        for (int i = 0; i < filled; i++) {
            same += agree[i] ? 1 : 0;
        }
        return (double) same / filled;
    }

    /** Pearson correlation of the anomaly scores; NaN with fewer than 2 pairs or a constant side. */
    synchronized double correlation() {
        int filled = (int) pairs();
        if (filled < 2 || forecasts) {
            return Double.NaN;
        }
        double mp = 0;
        double mc = 0;
        for (int i = 0; i < filled; i++) {
            mp += primary[i];
            mc += candidate[i];
        }
        mp /= filled;
        mc /= filled;
        double cov = 0;
        double vp = 0;
        double vc = 0;
        for (int i = 0; i < filled; i++) {
            double dp = primary[i] - mp;
            double dc = candidate[i] - mc;
            cov += dp * dc;
            vp += dp * dp;
            vc += dc * dc;
        }
        return vp == 0 || vc == 0 ? Double.NaN : cov / Math.sqrt(vp * vc);
    }

    /** Mean |primary - candidate| of the forecasts; NaN without forecast pairs. */
    synchronized double forecastMae() {
        int filled = (int) pairs();
        if (filled == 0 || !forecasts) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < filled; i++) {
            sum += Math.abs(primary[i] - candidate[i]);
        }
        return sum / filled;
    }
}
