package com.orderintel.forecast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.registry.ModelCodec;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.ServingBudget;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON artifact of {@link LinearDemandModel}: {@code {"features":[...],"products":{id:{intercept,weights}}}}. */
public final class LinearDemandCodec implements ModelCodec<LinearDemandModel> {

    /**
     * Strict reading of an untrusted document: shallow nesting, bounded strings, no duplicate keys, no trailing
     * content, and every coefficient present (a missing intercept must not read as 0).
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(1 << 20).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /** Largest coefficient magnitude accepted: far beyond any real one, and the dot product stays finite. */
    static final double MAX_MAGNITUDE = 1e150;

    record Artifact(List<String> features, Map<String, Entry> products) { }

    record Entry(double intercept, double[] weights) { }

    @Override
    public String format() {
        return LinearDemandModel.FORMAT;
    }

    public static byte[] encode(Map<String, LinearDemandModel.Coefficients> byProduct) {
        Map<String, Entry> products = new LinkedHashMap<>();
        byProduct.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> products.put(e.getKey(), new Entry(e.getValue().intercept(), e.getValue().weights())));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Artifact(DemandFeatures.NAMES, products));
        } catch (IOException e) {
            throw new IllegalStateException("coefficients are always serialisable", e);
        }
    }

    /**
     * The fewest characters a product takes in the document: {@code "":{"intercept":0,"weights":[0,0,0,0,0]},}
     * (both keys are required).
     */
    private static final long MIN_PRODUCT_CHARS = 40;
    /**
     * A product's heap at its peak (parsed entry and served coefficients: map entries, id, two small arrays, object
     * headers): generous, so that {@code length / MIN_PRODUCT_CHARS * PRODUCT_HEAP} bounds the parse from above.
     */
    private static final long PRODUCT_HEAP = 512;

    /**
     * Checks the serving budget before parsing, from the document's length (it cannot hold more products than
     * that allows), then reads strictly.
     */
    @Override
    public LinearDemandModel decode(ModelManifest manifest, byte[] artifact, ServingBudget budget) {
        String what = "artifact of model '" + manifest.name() + "' version '" + manifest.version() + "'";
        long products = artifact.length / MIN_PRODUCT_CHARS + 1;
        budget.check(products * PRODUCT_HEAP, what, "up to " + products + " products in a " + artifact.length
                + "-byte document");
        Artifact a;
        try {
            a = JSON.readValue(artifact, Artifact.class);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Reason.CORRUPT_ARTIFACT, what + " is not a valid "
                    + LinearDemandModel.FORMAT + " document: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (a == null || !DemandFeatures.NAMES.equals(a.features()) || a.products() == null || a.products().isEmpty()) {
            throw new RegistryException(RegistryException.Reason.CORRUPT_ARTIFACT, what
                    + " must list features " + DemandFeatures.NAMES + " and at least one product");
        }
        Map<String, LinearDemandModel.Coefficients> byProduct = new LinkedHashMap<>();
        for (var e : a.products().entrySet()) {
            Entry v = e.getValue();
            if (v == null || v.weights() == null || v.weights().length != DemandFeatures.NAMES.size()
                    || !bounded(v.intercept()) || java.util.Arrays.stream(v.weights()).anyMatch(w -> !bounded(w))) {
                throw new RegistryException(RegistryException.Reason.CORRUPT_ARTIFACT, what + ": product '" + e.getKey()
                        + "' needs a finite intercept and " + DemandFeatures.NAMES.size() + " finite weights (magnitude at most "
                        + MAX_MAGNITUDE + ")");
            }
            byProduct.put(e.getKey(), new LinearDemandModel.Coefficients(v.intercept(), v.weights()));
        }
        return new LinearDemandModel(manifest, byProduct);
    }

    private static boolean bounded(double v) {
        return Math.abs(v) <= MAX_MAGNITUDE; // false for NaN and infinities
    }
}
