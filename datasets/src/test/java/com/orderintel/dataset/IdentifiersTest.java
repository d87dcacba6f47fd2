package com.orderintel.dataset;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The identifier rule every entry point applies: what passes, what is refused and how the refusal reads. */
@Tag("attack")
class IdentifiersTest {

    @Test
    void ordinaryIdsOfEveryShapeTheProjectUsesPass() {
        for (String id : new String[] {"ORDER-0000001", "o-1001", "cap-7", "SKU-7", "P001", "a", "shop:eu/order#42@v2",
                "order_2024.11.05", "Bestellung-Größe-ß", "注文-123", "\uD835\uDC00-math-letter", "x".repeat(128),
                "ffffffff-12-0123456789abcdef"}) {
            assertThat(Identifiers.problem(id)).as(id).isNull();
        }
    }

    @Test
    void hostileIdsAreRefusedWithoutQuotingThem() {
        assertThat(Identifiers.problem("evil\u0000id")).isEqualTo("contains the control character U+0000 at position 5 "
                + "(allowed: 1 to 128 letters, digits and - _ . : / # @)");
        assertThat(Identifiers.problem("a\u001b[31m")).startsWith("contains the control character U+001B at position 2");
        assertThat(Identifiers.problem("a\u0085b")).startsWith("contains the control character U+0085");
        assertThat(Identifiers.problem("ab\uD800")).startsWith("contains an unpaired surrogate U+D800 at position 3");
        assertThat(Identifiers.problem("\uDC00ab")).startsWith("contains an unpaired surrogate U+DC00 at position 1");
        assertThat(Identifiers.problem("\\.")).startsWith("contains the character U+005C at position 1");
        assertThat(Identifiers.problem("two words")).startsWith("contains the character U+0020 at position 4");
        assertThat(Identifiers.problem("a\tb")).startsWith("contains the control character U+0009");
        assertThat(Identifiers.problem("a\u200Bb")).as("zero-width space").startsWith("contains the character U+200B");
        assertThat(Identifiers.problem("a\u202Eb")).as("right-to-left override").startsWith("contains the character U+202E");
        assertThat(Identifiers.problem("x".repeat(129))).isEqualTo("is 129 characters, over the limit of 128");
        assertThat(Identifiers.problem("x".repeat(100_000))).isEqualTo("is 100000 characters, over the limit of 128");
        assertThat(Identifiers.problem("")).startsWith("is empty");
        assertThat(Identifiers.problem(null)).isEqualTo("is missing");
        assertThat(Identifiers.isValid("o-1")).isTrue();
        assertThat(Identifiers.isValid("o 1")).isFalse();
    }
}
