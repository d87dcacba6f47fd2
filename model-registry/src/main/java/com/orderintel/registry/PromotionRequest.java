package com.orderintel.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A pending request to point a guarded alias at a version ({@link AliasPolicy}): kept in the model's alias file until a
 * second principal approves it (the alias then moves in the same write) or someone rejects it; both are logged as
 * {@link AliasMove}s carrying this request's id.
 *
 * @param from the version the alias pointed at when the request was made (null when unset)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromotionRequest(String id, String alias, String from, String version, String requestedBy, String reason,
                               Instant at) {
}
