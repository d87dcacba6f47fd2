package com.orderintel.registry;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MODEL_MAX_SERVING_BYTES: the codecs' side of the budget is in the models module (ServingBudgetAttackTest). */
@Tag("attack")
class ServingBudgetEnvironmentTest {

    @Test
    void theBudgetIsReadFromTheEnvironmentAndRefusesNonsense() {
        assertThat(ServingBudget.fromLookup(name -> null)).isEqualTo(ServingBudget.DEFAULT);
        assertThat(ServingBudget.fromLookup(name -> " 1048576 ").maxBytes()).isEqualTo(1 << 20);
        for (String bad : List.of("0", "-5", "64MB", "lots")) {
            assertThatThrownBy(() -> ServingBudget.fromLookup(name -> bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MODEL_MAX_SERVING_BYTES");
        }
    }
}
