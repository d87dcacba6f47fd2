package com.orderintel.forecast;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.registry.ModelCodec;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON artifact of {@link LinearDemandModel}: {@code {"features":[...],"products":{id:{intercept,weights}}}}. */
public final class LinearDemandCodec implements ModelCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Override
    public LinearDemandModel decode(ModelManifest manifest, byte[] artifact) {
        String what = "artifact of model '" + manifest.name() + "' version '" + manifest.version() + "'";
        Artifact a;
        try {
            a = JSON.readValue(artifact, Artifact.class);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Reason.INVALID_MANIFEST, what + " is not a valid "
                    + LinearDemandModel.FORMAT + " document: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (a == null || !DemandFeatures.NAMES.equals(a.features()) || a.products() == null || a.products().isEmpty()) {
            throw new RegistryException(RegistryException.Reason.INVALID_MANIFEST, what
                    + " must list features " + DemandFeatures.NAMES + " and at least one product");
        }
        Map<String, LinearDemandModel.Coefficients> byProduct = new LinkedHashMap<>();
        for (var e : a.products().entrySet()) {
            Entry v = e.getValue();
            if (v == null || v.weights() == null || v.weights().length != DemandFeatures.NAMES.size()
                    || !Double.isFinite(v.intercept()) || java.util.Arrays.stream(v.weights()).anyMatch(w -> !Double.isFinite(w))) {
                throw new RegistryException(RegistryException.Reason.INVALID_MANIFEST, what + ": product '" + e.getKey()
                        + "' needs a finite intercept and " + DemandFeatures.NAMES.size() + " finite weights");
            }
            byProduct.put(e.getKey(), new LinearDemandModel.Coefficients(v.intercept(), v.weights()));
        }
        return new LinearDemandModel(manifest, byProduct);
    }
}
