package com.orderintel.advisor.model;

import com.orderintel.registry.ModelCodec;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ServableModel;
import com.orderintel.registry.ServingBudget;

/**
 * A test-only codec (registered in the test class path's {@code META-INF/services}) whose decode throws an
 * {@link OutOfMemoryError}, as a load that runs the heap out would, without having to fill the test JVM's heap:
 * a model published with format {@value #FORMAT} makes every load of it fail with an Error.
 */
public final class ErrorThrowingCodec implements ModelCodec {

    public static final String FORMAT = "test-throws-oom/v1";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public ServableModel decode(ModelManifest manifest, byte[] artifact, ServingBudget budget) {
        throw new OutOfMemoryError("Java heap space (thrown by the test codec for model '" + manifest.name() + "' version '"
                + manifest.version() + "')");
    }
}
