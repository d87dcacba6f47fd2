package com.orderintel.advisor.store;

import com.orderintel.testkit.ThrowawayDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The schema is migrated once at start-up; a database that is away then is migrated when it comes back. */
class StartupMigrationTest {

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser("postgres");
        return ds;
    }

    @Test
    void migratesBeforeReturningWhenTheDatabaseIsThere() {
        try (ThrowawayDatabase db = new ThrowawayDatabase("advisor_startup_schema")) {
            StartupMigration.run(dataSource(db.url()), Duration.ofMillis(100));
            assertThat(db.count("SELECT count(*) FROM flyway_schema_history WHERE success")).isPositive();
            assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                    + "('scored_orders', 'capture_quarantine', 'shedlock')")).isEqualTo(3);
        }
    }

    @Test
    void aDatabaseAwayAtStartUpIsMigratedWhenItComesBack() throws Exception {
        String name = "advisor_startup_away_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String url = "jdbc:postgresql://127.0.0.1:5432/" + name;
        StartupMigration.run(dataSource(url), Duration.ofMillis(200)); // returns: the service starts without it
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement();
                     var rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'scored_orders'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            });
        } finally {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }
}
