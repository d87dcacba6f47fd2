package com.orderintel.advisor.llm;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Deterministic offline embedding: signed feature hashing (Weinberger et al.) of lower-cased word unigrams and
 * bigrams into a fixed number of dimensions, L2-normalised. Same text -> same vector on every JVM, so cached and
 * fallback vectors are comparable across restarts. Hand-written (~25 lines): no maintained Java library offers
 * just this without pulling a whole NLP stack.
 */
public final class HashingEmbedder {

    private final int dimensions;

    public HashingEmbedder(int dimensions) {
        if (dimensions < 8) {
            throw new IllegalArgumentException("advisor.llm.fallback-dimensions must be >= 8, was " + dimensions);
        }
        this.dimensions = dimensions;
    }

    public int dimensions() {
        return dimensions;
    }

    public float[] embed(String text) {
        float[] v = new float[dimensions];
        String[] tokens = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
        String previous = null;
        for (String token : tokens) {
            if (token.isEmpty()) {
                continue;
            }
            add(v, token);
            if (previous != null) {
                add(v, previous + ' ' + token);
            }
            previous = token;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    private void add(float[] v, String feature) {
        int h = fnv1a(feature.getBytes(StandardCharsets.UTF_8));
        v[Math.floorMod(h, dimensions)] += (h >>> 31) == 0 ? 1f : -1f;   // sign from the top bit
    }

    /** FNV-1a 32-bit: stable across JVMs (String.hashCode would also be, but mixes poorly for short tokens). */
    private static int fnv1a(byte[] bytes) {
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
