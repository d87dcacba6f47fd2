package com.orderintel.registry;

/**
 * Turns artifact bytes of one {@link ModelManifest.ArtifactRef#format() format} into a {@link ServableModel}.
 * Codecs are registered in {@link ModelCodecs}; decoding errors are {@link RegistryException}s with reason
 * {@code INVALID_MANIFEST} or {@code IO} naming the model and what is wrong.
 */
public interface ModelCodec {
    String format();

    ServableModel decode(ModelManifest manifest, byte[] artifact);
}
