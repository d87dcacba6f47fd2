package com.orderintel.spark.scoring;

import com.orderintel.registry.Checksums;
import com.orderintel.registry.ManifestCodec;
import com.orderintel.registry.ModelCodecs;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.RegistryException;
import com.orderintel.registry.ServableModel;
import com.orderintel.registry.ServingBudget;

import java.io.Serializable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the driver broadcasts: the model's manifest and its flat serving artifact, as verified by the registry's
 * {@code ModelLoader.fetch} (size, sha256). Each executor JVM checks the bytes against the manifest's sha256 again
 * (a broadcast travels through block managers and disks) and decodes them once with the same codec the service uses;
 * no trainer, no registry store, no credentials reach the executors.
 */
public record ShippedModel(byte[] manifestYaml, byte[] artifact, long servingBudgetBytes) implements Serializable {

    /** Decoded models by artifact sha256: one per executor JVM, shared by its tasks (models are immutable). */
    private static final ConcurrentHashMap<String, ServableModel> DECODED = new ConcurrentHashMap<>();

    public static ShippedModel of(ModelManifest manifest, byte[] artifact, ServingBudget budget) {
        return new ShippedModel(ManifestCodec.write(manifest), artifact, budget.maxBytes());
    }

    public ServableModel model() {
        ModelManifest manifest = ManifestCodec.read(manifestYaml, "broadcast manifest");
        // hashed per task (milliseconds for a model of megabytes): the cache is keyed by the bytes actually received
        String actual = Checksums.sha256(artifact);
        if (!actual.equals(manifest.artifact().sha256())) {
            throw new RegistryException(RegistryException.Reason.CHECKSUM_MISMATCH, "model " + manifest.name() + " "
                    + manifest.version() + ": broadcast artifact sha256 " + actual + " does not match the manifest's "
                    + manifest.artifact().sha256());
        }
        return DECODED.computeIfAbsent(actual, sha -> ModelCodecs.decode(manifest, artifact, new ServingBudget(servingBudgetBytes)));
    }
}
