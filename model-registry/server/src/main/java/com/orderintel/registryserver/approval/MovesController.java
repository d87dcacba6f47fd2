package com.orderintel.registryserver.approval;

import com.orderintel.registry.ModelStore;
import com.orderintel.registry.PromotionRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Moving aliases over the API (role promoter). JSON bodies only: a cross-site form cannot send
 * {@code application/json} without a CORS pre-flight, which this server never grants, so basic credentials a browser
 * cached cannot be used to move an alias from another site.
 */
@RestController
@RequestMapping(path = "/api/v1/models/{model}", produces = MediaType.APPLICATION_JSON_VALUE, consumes = MediaType.APPLICATION_JSON_VALUE)
class MovesController {

    private final AliasMoves moves;

    MovesController(AliasMoves moves) {
        this.moves = moves;
    }

    record Move(String version, String reason) { }

    record Decision(String reason) { }

    record Approved(PromotionRequest request, ModelStore.AliasChange change) { }

    /** Points an alias at a version; refused (409) on a guarded alias: request it instead. */
    @PutMapping("/aliases/{alias}")
    ModelStore.AliasChange promote(@PathVariable String model, @PathVariable String alias, @RequestBody Move body, Authentication who) {
        return moves.promote(model, alias, required(body.version()), who.getName(), body.reason());
    }

    @PostMapping("/aliases/{alias}/rollback")
    ModelStore.AliasChange rollback(@PathVariable String model, @PathVariable String alias, @RequestBody(required = false) Decision body,
                                    Authentication who) {
        return moves.rollback(model, alias, who.getName(), body == null ? null : body.reason());
    }

    @PostMapping("/aliases/{alias}/requests")
    @ResponseStatus(HttpStatus.CREATED)
    PromotionRequest request(@PathVariable String model, @PathVariable String alias, @RequestBody Move body, Authentication who) {
        return moves.request(model, alias, required(body.version()), who.getName(), body.reason());
    }

    @PostMapping("/requests/{id}/approve")
    Approved approve(@PathVariable String model, @PathVariable String id, @RequestBody(required = false) Decision body,
                     Authentication who) {
        ModelStore.Approval a = moves.approve(model, id, who.getName(), body == null ? null : body.reason());
        return new Approved(a.request(), a.change());
    }

    @PostMapping("/requests/{id}/reject")
    PromotionRequest reject(@PathVariable String model, @PathVariable String id, @RequestBody(required = false) Decision body,
                            Authentication who) {
        return moves.reject(model, id, who.getName(), body == null ? null : body.reason());
    }

    private static String required(String version) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("the body needs \"version\": the published version to point the alias at");
        }
        return version;
    }
}
