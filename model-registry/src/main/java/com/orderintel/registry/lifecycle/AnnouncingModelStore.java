package com.orderintel.registry.lifecycle;

import com.orderintel.registry.AliasMove;
import com.orderintel.registry.AliasPolicy;
import com.orderintel.registry.AliasState;
import com.orderintel.registry.ModelManifest;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.PromotionRequest;

import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store that announces what it did: after a publish, promote, rollback, promotion request, approval or rejection
 * succeeded on the store underneath, the matching {@link LifecycleEvent} goes to {@code events} (which never throws, so an event that cannot be sent never
 * fails the move). Whatever moves aliases through it (the CLI's publish, promote, rollback and prompt promote) is
 * heard by replicas and webhooks without each command knowing about events. Closing it closes both.
 */
public final class AnnouncingModelStore implements ModelStore {

    private final ModelStore store;
    private final LifecycleEvents events;

    public AnnouncingModelStore(ModelStore store, LifecycleEvents events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public ModelUri publish(ModelManifest manifest, Path artifactFile) {
        ModelUri uri = store.publish(manifest, artifactFile);
        events.publish(LifecycleEvent.published(store.location(), manifest.name(), manifest.version(),
                AliasMove.currentActor(null)));
        return uri;
    }

    @Override
    public AliasChange promote(String modelName, String alias, String version, String by, String reason) {
        AliasChange change = store.promote(modelName, alias, version, by, reason);
        events.publish(LifecycleEvent.moved(LifecycleEvent.TYPE_PROMOTED, store.location(), change, by, reason, null));
        return change;
    }

    @Override
    public AliasChange rollback(String modelName, String alias, String by, String reason) {
        AliasChange change = store.rollback(modelName, alias, by, reason);
        events.publish(LifecycleEvent.moved(LifecycleEvent.TYPE_ROLLED_BACK, store.location(), change, by, reason, null));
        return change;
    }

    @Override
    public PromotionRequest requestPromotion(String modelName, String alias, String version, String by, String reason) {
        PromotionRequest r = store.requestPromotion(modelName, alias, version, by, reason);
        events.publish(step(LifecycleEvent.TYPE_REQUESTED, modelName, r, by, r.reason()));
        return r;
    }

    @Override
    public Approval approve(String modelName, String requestId, String by, String reason) {
        Approval a = store.approve(modelName, requestId, by, reason);
        events.publish(step(LifecycleEvent.TYPE_APPROVED, modelName, a.request(), by, reason));
        events.publish(LifecycleEvent.moved(LifecycleEvent.TYPE_PROMOTED, store.location(), a.change(), by,
                a.request().reason(), a.request().id()));
        return a;
    }

    @Override
    public PromotionRequest reject(String modelName, String requestId, String by, String reason) {
        PromotionRequest r = store.reject(modelName, requestId, by, reason);
        events.publish(step(LifecycleEvent.TYPE_REJECTED, modelName, r, by, reason));
        return r;
    }

    private LifecycleEvent step(String type, String modelName, PromotionRequest r, String by, String reason) {
        return new LifecycleEvent(LifecycleEvent.newId(), type, Instant.now(), ModelUri.redact(store.location()), modelName,
                r.version(), r.alias(), r.from(), by, reason, r.id());
    }

    @Override
    public AliasPolicy policy() {
        return store.policy();
    }

    @Override
    public void policy(AliasPolicy policy) {
        store.policy(policy);
    }

    @Override
    public void attach(String modelName, String version, String fileName, byte[] bytes) {
        store.attach(modelName, version, fileName, bytes);
    }

    @Override
    public Optional<byte[]> attachment(String modelName, String version, String fileName) {
        return store.attachment(modelName, version, fileName);
    }

    @Override
    public LoadedArtifact load(ModelUri uri) {
        return store.load(uri);
    }

    @Override
    public ModelManifest manifest(ModelUri uri) {
        return store.manifest(uri);
    }

    @Override
    public List<ModelVersionInfo> list() {
        return store.list();
    }

    @Override
    public Optional<String> resolveAlias(String modelName, String alias) {
        return store.resolveAlias(modelName, alias);
    }

    @Override
    public AliasState aliases(String modelName) {
        return store.aliases(modelName);
    }

    @Override
    public String location() {
        return store.location();
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            if (events instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LoggerFactory.getLogger(AnnouncingModelStore.class).debug("closing events: {}", e.toString());
                }
            }
        }
    }
}
