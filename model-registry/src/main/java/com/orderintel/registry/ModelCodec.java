package com.orderintel.registry;

/**
 * Turns artifact bytes of one {@link ModelManifest.ArtifactRef#format() format} into a {@link ServableModel}.
 * Codecs are registered in {@link ModelCodecs}.
 *
 * <p>Artifacts are untrusted input. A codec validates structure before it allocates or serves: counts are checked
 * against the bytes present before an array is allocated, trees are acyclic and of bounded depth, indices are in
 * range and values finite, so that a decoded model scores in bounded time with a finite result. Every refusal
 * is a {@link RegistryException} with reason {@code CORRUPT_ARTIFACT} naming the model and what is wrong; never
 * another exception, an {@link Error}, a hang or an allocation larger than the artifact warrants.
 *
 * <p>A codec also computes, before it builds the serving form, how much memory that form will take (arrays,
 * derived layouts such as the complete-tree expansion of an isolation forest) and refuses the model with
 * {@code TOO_LARGE} when that is above the {@link ServingBudget}: a valid artifact may still be too large to serve.
 *
 * @param <M> the serving form this codec builds, so a caller holding the codec gets the model's own type
 */
public interface ModelCodec<M extends ServableModel> {
    String format();

    /** Decodes within {@code budget} (see above). */
    M decode(ModelManifest manifest, byte[] artifact, ServingBudget budget);

    /** Decodes within the {@link ServingBudget#DEFAULT default} budget. */
    default M decode(ModelManifest manifest, byte[] artifact) {
        return decode(manifest, artifact, ServingBudget.DEFAULT);
    }
}
