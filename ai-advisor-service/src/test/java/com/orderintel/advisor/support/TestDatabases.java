package com.orderintel.advisor.support;

import com.orderintel.testkit.ThrowawayDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a Spring test class at its own throwaway database (from its {@code @DynamicPropertySource}). */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** {@code spring.datasource.*} on {@code db}. */
    public static void datasource(DynamicPropertyRegistry r, ThrowawayDatabase db) {
        r.add("spring.datasource.url", db::url);
        r.add("spring.datasource.username", () -> ThrowawayDatabase.USER);
    }

    /** {@link #datasource} and the capture flushed every 50 ms, so a test sees its rows soon. */
    public static void capture(DynamicPropertyRegistry r, ThrowawayDatabase db) {
        datasource(r, db);
        r.add("advisor.capture.flush-interval", () -> "50ms");
    }
}
