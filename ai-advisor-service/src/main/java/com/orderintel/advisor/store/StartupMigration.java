package com.orderintel.advisor.store;

import com.orderintel.store.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The platform schema (capture-store's Flyway migrations), migrated once when the service starts with a database,
 * before any bean that writes to it gets the {@link DataSource}. The service must serve without its database, so
 * one that is down at start-up does not stop it: the migration is retried in the background until it succeeds,
 * and writes meanwhile fail as they do whenever the database is away (retried, quarantined or counted).
 */
final class StartupMigration {

    private static final Logger log = LoggerFactory.getLogger(StartupMigration.class);

    private StartupMigration() {
    }

    static void run(DataSource dataSource, Duration retryEvery) {
        try {
            Schema.migrate(dataSource);
        } catch (RuntimeException e) {
            log.warn("database schema not migrated at start-up ({}); retrying every {}", e.getMessage(), retryEvery);
            Thread.ofVirtual().name("schema-migration").start(() -> retry(dataSource, retryEvery));
        }
    }

    private static void retry(DataSource dataSource, Duration every) {
        while (true) {
            try {
                Thread.sleep(every);
                Schema.migrate(dataSource);
                log.info("database schema migrated");
                return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.debug("database schema still not migrated: {}", e.getMessage());
            }
        }
    }
}
