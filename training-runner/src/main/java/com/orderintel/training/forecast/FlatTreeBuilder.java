package com.orderintel.training.forecast;

import com.orderintel.forecast.FlatTreeEnsemble;

import java.util.Arrays;

/**
 * Growable node arrays that the XGBoost export writes fitted trees into, then one
 * {@link FlatTreeEnsemble}: the demand trees' serving form.
 */
final class FlatTreeBuilder {

    private int size;
    private int[] feature = new int[1024];
    private double[] threshold = new double[1024];
    private int[] left = new int[1024];
    private int[] right = new int[1024];
    private double[] value = new double[1024];

    /** A leaf predicting {@code prediction}; returns its id. */
    int leaf(double prediction) {
        int id = next();
        feature[id] = -1;
        left[id] = -1;
        right[id] = -1;
        value[id] = prediction;
        return id;
    }

    /** A split going left when {@code x[splitFeature] <= splitThreshold}; its children are set with {@link #children}. */
    int split(int splitFeature, double splitThreshold) {
        int id = next();
        feature[id] = splitFeature;
        threshold[id] = splitThreshold;
        return id;
    }

    void children(int id, int leftChild, int rightChild) {
        left[id] = leftChild;
        right[id] = rightChild;
    }

    FlatTreeEnsemble build(int features, double base, double shrinkage, int[] roots) {
        return new FlatTreeEnsemble(features, base, shrinkage, roots, Arrays.copyOf(feature, size),
                Arrays.copyOf(threshold, size), Arrays.copyOf(left, size), Arrays.copyOf(right, size),
                Arrays.copyOf(value, size));
    }

    private int next() {
        int id = size++;
        if (id == feature.length) {
            int cap = id * 2;
            feature = Arrays.copyOf(feature, cap);
            threshold = Arrays.copyOf(threshold, cap);
            left = Arrays.copyOf(left, cap);
            right = Arrays.copyOf(right, cap);
            value = Arrays.copyOf(value, cap);
        }
        return id;
    }
}
