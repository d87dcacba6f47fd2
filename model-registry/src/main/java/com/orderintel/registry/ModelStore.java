package com.orderintel.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One registry of published models, addressed by the location part of a {@link ModelUri}. Implementations
 * are chosen by URI scheme ({@code file}, {@code s3}) in {@link ModelStores}, as MLflow chooses its stores.
 *
 * <p>Layout, the same for every store: {@code <root>/<version>/<name>/manifest.yaml} and the artifact beside
 * it ({@code version} is the git commit sha of the training code by convention); aliases such as
 * {@code production} and their history under {@code <root>/aliases/<name>.yaml}.
 *
 * <p>Every method refuses a model name, version or alias that is not a plain name ({@code ../}, {@code /},
 * control characters, more than 128 characters) with {@link RegistryException.Reason#INVALID_URI}. A store may
 * hold resources (the S3 store owns its client): close it when done.
 */
public interface ModelStore extends AutoCloseable {

    /**
     * Publishes an artifact and its manifest (the manifest's {@code artifact} sha256 and size must describe
     * {@code artifactFile}). The manifest is written last so readers never see a manifest without its
     * artifact. Re-publishing identical content is a no-op; different content under an existing
     * name+version is refused with {@link RegistryException}.
     */
    ModelUri publish(ModelManifest manifest, Path artifactFile);

    /** Reads the manifest and artifact the URI names (resolving an alias), verifying the sha256. */
    LoadedArtifact load(ModelUri uri);

    /** Reads only the manifest of a version (alias resolved). */
    ModelManifest manifest(ModelUri uri);

    /** Every published version of every model, newest first within a model. */
    List<ModelVersionInfo> list();

    /** The version an alias of a model points at, if set. */
    Optional<String> resolveAlias(String modelName, String alias);

    /**
     * Points an alias of a model at a published version, recording the previous target in the alias history
     * and the move (when, from, to, {@code by}, why) in the alias log. A guarded alias ({@link #policy()}) is
     * refused with {@link RegistryException.Reason#APPROVAL_REQUIRED}, naming where to request the promotion.
     */
    AliasChange promote(String modelName, String alias, String version, String by, String reason);

    /**
     * Moves an alias back to the version it pointed at before its last promotion, logging the move and why
     * (rollback is not guarded: it returns to the version served before).
     */
    AliasChange rollback(String modelName, String alias, String by, String reason);

    /** {@link #promote(String, String, String, String, String)} without a reason. */
    default AliasChange promote(String modelName, String alias, String version, String by) {
        return promote(modelName, alias, version, by, null);
    }

    /** {@link #rollback(String, String, String, String)} without a reason. */
    default AliasChange rollback(String modelName, String alias, String by) {
        return rollback(modelName, alias, by, null);
    }

    /**
     * Records a pending request to point {@code alias} at a published {@code version} (guarded or not), logged with
     * its reason; returns it with its new id.
     */
    PromotionRequest requestPromotion(String modelName, String alias, String version, String by, String reason);

    /**
     * Approves a pending request and moves its alias in the same write; {@code by} must not be the requester
     * ({@link RegistryException.Reason#NOT_PERMITTED}).
     */
    Approval approve(String modelName, String requestId, String by, String reason);

    /** Rejects (or withdraws) a pending request; returns it. */
    PromotionRequest reject(String modelName, String requestId, String by, String reason);

    /** Which aliases need an approved request ({@link AliasPolicy#KEY}); nothing is guarded without the file. */
    AliasPolicy policy();

    /** Replaces the alias policy (an operator's or the registry server's configuration). */
    void policy(AliasPolicy policy);

    /**
     * Stores a file beside a published version (e.g. its training report, {@code report.html}); the name must be a
     * plain name other than the manifest's or the artifact's. Replaces an earlier file of that name.
     */
    void attach(String modelName, String version, String fileName, byte[] bytes);

    /** A file {@link #attach attached} to a version, if any (bounded like a manifest). */
    Optional<byte[]> attachment(String modelName, String version, String fileName);

    /** {@link #promote(String, String, String, String)} by this process's user (or CI run). */
    default AliasChange promote(String modelName, String alias, String version) {
        return promote(modelName, alias, version, AliasMove.currentActor(null));
    }

    /** {@link #rollback(String, String, String)} by this process's user (or CI run). */
    default AliasChange rollback(String modelName, String alias) {
        return rollback(modelName, alias, AliasMove.currentActor(null));
    }

    /** The alias file of a model: current targets, rollback history and the log of every move (empty if none). */
    AliasState aliases(String modelName);

    /** The location URI of this store, e.g. {@code file:///var/registry} or {@code s3://bucket/prefix}. */
    String location();

    /** Releases what the store holds (the S3 store's client); a no-op for the filesystem store. */
    @Override
    default void close() {
    }

    /** A manifest plus the artifact bytes that were verified against it. */
    record LoadedArtifact(ModelUri uri, ModelManifest manifest, byte[] artifact) { }

    /** One published version and the aliases that currently point at it. */
    record ModelVersionInfo(String name, String version, ModelManifest manifest, List<String> aliases) { }

    /** An approved request and the move it made. */
    record Approval(PromotionRequest request, AliasChange change) { }

    /** The result of promote/rollback: alias, previous version (null if none) and new version. */
    record AliasChange(String modelName, String alias, String previousVersion, String newVersion) { }
}
