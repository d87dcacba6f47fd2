package com.orderintel.registryserver.console;

import com.orderintel.registry.ModelStore;
import com.orderintel.registry.PromotionRequest;
import com.orderintel.registry.RegistryException;
import com.orderintel.registryserver.approval.AliasMoves;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.function.Supplier;

/**
 * The console's forms (role promoter, CSRF token required): promote, roll back, request, approve, reject. Each goes
 * through {@link AliasMoves} like the API and comes back to the model page with what happened or why it was refused.
 */
@Controller
class ConsoleActions {

    private final AliasMoves moves;

    ConsoleActions(AliasMoves moves) {
        this.moves = moves;
    }

    @PostMapping("/console/models/{name}/promote")
    String promote(@PathVariable String name, @RequestParam String alias, @RequestParam String version,
                   @RequestParam(required = false) String reason, Authentication who, RedirectAttributes flash) {
        return act(name, flash, () -> describe(moves.promote(name, alias, version, who.getName(), reason)));
    }

    @PostMapping("/console/models/{name}/rollback")
    String rollback(@PathVariable String name, @RequestParam String alias, @RequestParam(required = false) String reason,
                    Authentication who, RedirectAttributes flash) {
        return act(name, flash, () -> "rolled back: " + describe(moves.rollback(name, alias, who.getName(), reason)));
    }

    @PostMapping("/console/models/{name}/requests")
    String request(@PathVariable String name, @RequestParam String alias, @RequestParam String version,
                   @RequestParam(required = false) String reason, Authentication who, RedirectAttributes flash) {
        return act(name, flash, () -> {
            PromotionRequest r = moves.request(name, alias, version, who.getName(), reason);
            return "requested " + name + "@" + alias + " -> " + version + " (request " + r.id()
                    + "): another promoter must approve it";
        });
    }

    @PostMapping("/console/models/{name}/requests/{id}/approve")
    String approve(@PathVariable String name, @PathVariable String id, @RequestParam(required = false) String reason,
                   Authentication who, RedirectAttributes flash) {
        return act(name, flash, () -> "approved request " + id + ": " + describe(moves.approve(name, id, who.getName(), reason).change()));
    }

    @PostMapping("/console/models/{name}/requests/{id}/reject")
    String reject(@PathVariable String name, @PathVariable String id, @RequestParam(required = false) String reason,
                  Authentication who, RedirectAttributes flash) {
        return act(name, flash, () -> "rejected request " + moves.reject(name, id, who.getName(), reason).id());
    }

    private static String act(String name, RedirectAttributes flash, Supplier<String> action) {
        try {
            flash.addFlashAttribute("done", action.get());
        } catch (RegistryException | IllegalArgumentException e) {
            flash.addFlashAttribute("refused", e.getMessage());
        }
        return "redirect:" + UriComponentsBuilder.fromPath("/console/models/{name}").buildAndExpand(name).encode().toUriString();
    }

    private static String describe(ModelStore.AliasChange c) {
        return c.modelName() + "@" + c.alias() + ": " + (c.previousVersion() == null ? "(unset)" : c.previousVersion()) + " -> " + c.newVersion();
    }
}
