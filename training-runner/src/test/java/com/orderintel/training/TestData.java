package com.orderintel.training;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The Python experiments' sample files and the figures scikit-learn printed on them (test resources, reference/). */
public final class TestData {
    private TestData() {
    }

    public static Path reference(String name) {
        try {
            return Path.of(TestData.class.getResource("/reference/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource reference/" + name, e);
        }
    }

    /** A fixed provenance for models trained in tests. */
    public static Provenance provenance() {
        return new Provenance("test", null, java.time.Instant.parse("2026-01-01T00:00:00Z"), java.util.Map.of());
    }

    public static Path sampleDemand() {
        return reference("sample_demand.csv");
    }

    public static Path sampleOrders() {
        return reference("sample_order_metrics.csv");
    }
}
