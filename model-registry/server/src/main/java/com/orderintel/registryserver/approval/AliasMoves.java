package com.orderintel.registryserver.approval;

import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;
import com.orderintel.registry.PromotionRequest;
import com.orderintel.registry.lifecycle.LifecycleEvent;
import com.orderintel.registry.lifecycle.LifecycleEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.UUID;

/**
 * Every change of an alias the server makes, for the API and the console alike: the store applies and records it
 * (and enforces the alias policy and the second-principal rule), then one lifecycle event per change is published.
 */
@Service
public class AliasMoves {

    private static final Logger log = LoggerFactory.getLogger(AliasMoves.class);

    private final ModelStore store;
    private final LifecycleEvents events;

    /** Events go to the one {@link LifecycleEvents} bean when there is one (a broker or webhook publisher), else nowhere. */
    public AliasMoves(ModelStore store, ObjectProvider<LifecycleEvents> events) {
        this.store = store;
        this.events = events.getIfAvailable(LifecycleEvents::none);
    }

    public ModelStore.AliasChange promote(String model, String alias, String version, String by, String reason) {
        ModelStore.AliasChange c = store.promote(model, alias, version, by, reason);
        publish(LifecycleEvent.TYPE_PROMOTED, model, c.newVersion(), alias, c.previousVersion(), by, reason, null);
        log.info("{}@{}: {} -> {} by {}", model, alias, c.previousVersion(), c.newVersion(), by);
        return c;
    }

    public ModelStore.AliasChange rollback(String model, String alias, String by, String reason) {
        ModelStore.AliasChange c = store.rollback(model, alias, by, reason);
        publish(LifecycleEvent.TYPE_ROLLED_BACK, model, c.newVersion(), alias, c.previousVersion(), by, reason, null);
        log.info("{}@{} rolled back: {} -> {} by {}", model, alias, c.previousVersion(), c.newVersion(), by);
        return c;
    }

    public PromotionRequest request(String model, String alias, String version, String by, String reason) {
        PromotionRequest r = store.requestPromotion(model, alias, version, by, reason);
        publish(LifecycleEvent.TYPE_REQUESTED, model, version, alias, r.from(), by, r.reason(), r.id());
        return r;
    }

    /** Approves and moves: an approval event, then the move's event, both naming the request. */
    public ModelStore.Approval approve(String model, String requestId, String by, String reason) {
        ModelStore.Approval a = store.approve(model, requestId, by, reason);
        PromotionRequest r = a.request();
        publish(LifecycleEvent.TYPE_APPROVED, model, r.version(), r.alias(), a.change().previousVersion(), by, reason, r.id());
        publish(LifecycleEvent.TYPE_PROMOTED, model, a.change().newVersion(), r.alias(), a.change().previousVersion(), by,
                r.reason(), r.id());
        log.info("{}@{}: {} -> {} approved by {} (request {} by {})", model, r.alias(), a.change().previousVersion(),
                a.change().newVersion(), by, r.id(), r.requestedBy());
        return a;
    }

    public PromotionRequest reject(String model, String requestId, String by, String reason) {
        PromotionRequest r = store.reject(model, requestId, by, reason);
        publish(LifecycleEvent.TYPE_REJECTED, model, r.version(), r.alias(), r.from(), by, reason, r.id());
        return r;
    }

    private void publish(String type, String model, String version, String alias, String from, String by, String reason,
                         String requestId) {
        LifecycleEvent e = new LifecycleEvent(UUID.randomUUID().toString(), type, Instant.now(), ModelUri.redact(store.location()),
                model, version, alias, from, by, reason, requestId);
        try {
            events.publish(e);
        } catch (RuntimeException ex) { // the store holds the change; replicas still see it through their poll
            log.warn("lifecycle event {} {} not published: {}", type, e.eventId(), ex.toString());
        }
    }
}
