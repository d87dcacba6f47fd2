package com.orderintel.store;

import com.orderintel.dataset.DataException;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * The platform's PostgreSQL schema (Flyway migrations in {@code db/migration}): batch results and run history,
 * the MLOps loop's capture, feedback and shadow tables, the ShedLock table: the one Flyway location of the platform.
 * Migrated once per process by whoever owns the database: the service when it makes its DataSource, the runner's
 * {@code infer} at the start of the command. Flyway's history table makes a second process's migration a no-op.
 */
public final class Schema {

    private Schema() {
    }

    /** Creates or upgrades the tables; a clear one-line error (no URL, it may carry credentials) when it cannot. */
    public static void migrate(DataSource dataSource) {
        try {
            Flyway.configure().dataSource(dataSource).load().migrate();
        } catch (RuntimeException e) {
            throw new DataException("cannot prepare the database schema: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }
}
