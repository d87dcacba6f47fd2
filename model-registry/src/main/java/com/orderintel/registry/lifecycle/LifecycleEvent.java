package com.orderintel.registry.lifecycle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelUri;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * One thing that happened to a model in the registry: a version published, an alias promoted or rolled back,
 * a promotion requested, approved or rejected. Published to the topic exchange {@link #EXCHANGE} with the
 * routing key {@link #routingKey()} and to webhooks; the wire schema is docs/schemas/lifecycle-event.schema.json.
 *
 * @param eventId   unique per event (receivers de-duplicate on it; delivery is at least once)
 * @param type      one of the {@code TYPE_*} constants
 * @param at        when it happened
 * @param registry  the store's location (redacted), so one receiver can tell registries apart
 * @param model     model name
 * @param version   the version concerned (for moves: the new target)
 * @param alias     the alias concerned, null for a publish
 * @param from      for moves: the version the alias pointed at before (null when it was unset)
 * @param by        the principal (user, CI run, console user)
 * @param reason    why, as given by the principal (may be null)
 * @param requestId for requests, approvals and the move they led to: the promotion request's id (else null)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LifecycleEvent(String eventId, String type, Instant at, String registry, String model, String version,
                             String alias, String from, String by, String reason, String requestId) {

    public static final String EXCHANGE = "registry.lifecycle";
    public static final String SCHEMA_VERSION = "1";

    public static final String TYPE_PUBLISHED = "model.published";
    public static final String TYPE_PROMOTED = "alias.promoted";
    public static final String TYPE_ROLLED_BACK = "alias.rolled_back";
    public static final String TYPE_REQUESTED = "promotion.requested";
    public static final String TYPE_APPROVED = "promotion.approved";
    public static final String TYPE_REJECTED = "promotion.rejected";
    /** Every type this schema version defines; a receiver refuses others (see {@link LifecycleEventCodec}). */
    public static final Set<String> TYPES = Set.of(TYPE_PUBLISHED, TYPE_PROMOTED, TYPE_ROLLED_BACK, TYPE_REQUESTED,
            TYPE_APPROVED, TYPE_REJECTED);

    /** {@code <type>.<model>}, e.g. {@code alias.promoted.order-anomaly}: bind {@code alias.#} to follow moves. */
    public String routingKey() {
        return type + "." + model;
    }

    /** True for the events that change what an alias serves. */
    public boolean movesAlias() {
        return TYPE_PROMOTED.equals(type) || TYPE_ROLLED_BACK.equals(type);
    }

    /** Written into every JSON body (and the {@code schema-version} header) so receivers can tell formats apart. */
    @JsonProperty("schemaVersion")
    public String schemaVersion() {
        return SCHEMA_VERSION;
    }

    /** A version published to {@code registry} (a store location; credentials are redacted), now. */
    public static LifecycleEvent published(String registry, String model, String version, String by) {
        return new LifecycleEvent(newId(), TYPE_PUBLISHED, Instant.now(), ModelUri.redact(registry), model, version,
                null, null, by, null, null);
    }

    /** An alias move ({@link #TYPE_PROMOTED} or {@link #TYPE_ROLLED_BACK}) as the store reported it, now. */
    public static LifecycleEvent moved(String type, String registry, ModelStore.AliasChange change, String by,
                                       String reason, String requestId) {
        return new LifecycleEvent(newId(), type, Instant.now(), ModelUri.redact(registry), change.modelName(),
                change.newVersion(), change.alias(), change.previousVersion(), by, reason, requestId);
    }

    /** A random UUID: unique per event, what receivers de-duplicate on. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
