package com.orderintel.registry;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checks that an alias file survived concurrent promotions intact, by walking it back with rollbacks. */
final class AliasStateCheck {

    private AliasStateCheck() {
    }

    /**
     * The alias points at one of {@code promoted}; rolling back visits only promoted versions, each once, and
     * ends with "no earlier version" within {@code promoted.size()} steps. Returns the versions visited, newest first.
     */
    static List<String> assertIntact(ModelStore store, String model, String alias, List<String> promoted) {
        List<String> visited = new ArrayList<>();
        visited.add(store.resolveAlias(model, alias).orElseThrow());
        for (int i = 0; i < promoted.size(); i++) {
            try {
                visited.add(store.rollback(model, alias).newVersion());
            } catch (RegistryException e) {
                assertThat(e.reason()).isEqualTo(RegistryException.Reason.NOT_FOUND);
                assertThat(e).hasMessageContaining("no earlier version");
                break;
            }
        }
        assertThat(visited).isSubsetOf(promoted).doesNotHaveDuplicates();
        assertThatThrownBy(() -> store.rollback(model, alias)).hasMessageContaining("no earlier version");
        return visited;
    }
}
