package com.orderintel.advisor.metrics;

import com.orderintel.registry.ModelManifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * A sliding window of the last {@code size} inputs of one model, kept as histogram bin indices per feature
 * (bins = the manifest's training histogram), plus the population stability index of that window against
 * the training fractions. Recording is lock-free (one atomic add for the slot, then plain ordered writes) so
 * it costs little on the request path; PSI is computed when Prometheus scrapes.
 *
 * <p>Hand-written because no maintained library computes PSI against a supplied reference histogram.
 */
public final class FeatureWindow<T> {


    private final List<Tracked<T>> features;
    private final AtomicIntegerArray[] bins; // bin index + 1; 0 = slot not written yet
    private final AtomicLong cursor = new AtomicLong();
    private final int size;

    private record Tracked<T>(String name, double[] edges, double[] expected, ToDoubleFunction<T> value) { }

    /**
     * @param extractors feature name to how to read it from an input; manifest features without a histogram
     *                   or without an extractor are not tracked
     */
    public FeatureWindow(ModelManifest manifest, Map<String, ToDoubleFunction<T>> extractors, int size) {
        this.size = size;
        List<Tracked<T>> tracked = new ArrayList<>();
        if (manifest.features() != null) {
            for (ModelManifest.FeatureSpec f : manifest.features()) {
                ToDoubleFunction<T> extractor = extractors.get(f.name());
                ModelManifest.Histogram h = f.histogram();
                if (extractor == null || h == null || h.edges() == null || h.fractions() == null
                        || h.fractions().isEmpty() || h.edges().size() != h.fractions().size() + 1) {
                    continue;
                }
                tracked.add(new Tracked<>(f.name(), toArray(h.edges()), toArray(h.fractions()), extractor));
            }
        }
        this.features = List.copyOf(tracked);
        this.bins = new AtomicIntegerArray[features.size()];
        for (int i = 0; i < bins.length; i++) {
            bins[i] = new AtomicIntegerArray(size);
        }
    }

    public List<String> featureNames() {
        return features.stream().map(Tracked::name).toList();
    }

    public void record(T input) {
        if (features.isEmpty()) {
            return;
        }
        int slot = (int) (cursor.getAndIncrement() % size);
        write(slot, input);
    }

    public void recordAll(List<T> inputs) {
        if (features.isEmpty() || inputs.isEmpty()) {
            return;
        }
        long start = cursor.getAndAdd(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            write((int) ((start + i) % size), inputs.get(i));
        }
    }

    private void write(int slot, T input) {
        for (int f = 0; f < features.size(); f++) {
            Tracked<T> t = features.get(f);
            bins[f].lazySet(slot, ModelManifest.Histogram.binOf(t.edges, t.value.applyAsDouble(input)) + 1);
        }
    }

    /** Inputs currently in the window. */
    public long count() {
        return Math.min(cursor.get(), size);
    }

    /** PSI of the window for the feature, or NaN while the window is empty. */
    public double psi(String feature) {
        int f = featureNames().indexOf(feature);
        if (f < 0) {
            return Double.NaN;
        }
        double[] expected = features.get(f).expected;
        long[] counts = new long[expected.length];
        long total = 0;
        AtomicIntegerArray b = bins[f];
        for (int i = 0; i < size; i++) {
            int v = b.get(i);
            if (v > 0) {
                counts[v - 1]++;
                total++;
            }
        }
        return total == 0 ? Double.NaN : psi(expected, counts, total);
    }

    static double psi(double[] expected, long[] counts, long total) {
        return ModelManifest.Histogram.psi(expected, counts, total);
    }


    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
