package com.orderintel.advisor.batch;

import com.orderintel.store.Schema;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

import javax.sql.DataSource;
import java.util.Optional;

/**
 * The lock table comes with the platform schema (Flyway, migrated by whoever first needs it); the database may be
 * down at start-up, so the schema is migrated before the first lock attempt rather than when the bean is made.
 */
final class SchemaFirstLockProvider implements LockProvider {

    private final DataSource dataSource;
    private final LockProvider delegate;
    private volatile boolean migrated;

    SchemaFirstLockProvider(DataSource dataSource, LockProvider delegate) {
        this.dataSource = dataSource;
        this.delegate = delegate;
    }

    @Override
    public Optional<SimpleLock> lock(LockConfiguration configuration) {
        if (!migrated) {
            Schema.migrate(dataSource);
            migrated = true;
        }
        return delegate.lock(configuration);
    }
}
