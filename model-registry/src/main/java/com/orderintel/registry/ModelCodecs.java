package com.orderintel.registry;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The codecs known on the class path ({@code META-INF/services/com.orderintel.registry.ModelCodec}), by format. */
public final class ModelCodecs {

    private static final Map<String, ModelCodec<?>> CODECS = ServiceLoader.load(ModelCodec.class).stream()
            .<ModelCodec<?>>map(ServiceLoader.Provider::get)
            .collect(Collectors.toUnmodifiableMap(ModelCodec::format, Function.identity()));

    private ModelCodecs() {
    }

    /** Decodes within the {@link ServingBudget#DEFAULT default} serving budget. */
    public static ServableModel decode(ModelManifest manifest, byte[] artifact) {
        return decode(manifest, artifact, ServingBudget.DEFAULT);
    }

    /** Decodes with the manifest's codec, refusing a model whose serving form would take more than {@code budget}. */
    public static ServableModel decode(ModelManifest manifest, byte[] artifact, ServingBudget budget) {
        String format = manifest.artifact().format();
        ModelCodec<?> codec = CODECS.get(format);
        if (codec == null) {
            throw new RegistryException(RegistryException.Reason.INVALID_MANIFEST,
                    "model '" + manifest.name() + "' version '" + manifest.version() + "': unsupported artifact format '"
                            + format + "' (this release reads " + new java.util.TreeSet<>(CODECS.keySet()) + ")");
        }
        return codec.decode(manifest, artifact, budget);
    }
}
