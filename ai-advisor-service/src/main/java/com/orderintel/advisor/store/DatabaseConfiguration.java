package com.orderintel.advisor.store;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The shared PostgreSQL store (capture, feedback, batch results), on only when {@code spring.datasource.url} is set:
 * Boot's DataSource auto-configuration is off because the service must serve without a database. The pool is
 * created lazily by Hikari, so a database that is down at start-up does not stop the service; the schema is
 * migrated here, once, before any bean gets the pool ({@link StartupMigration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url")
public class DatabaseConfiguration {

    /** How often a schema migration that failed at start-up (database down) is tried again. */
    private static final Duration SCHEMA_RETRY = Duration.ofSeconds(10);

    @Bean
    @ConfigurationProperties("spring.datasource")
    DataSourceProperties dataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    DataSource dataSource(DataSourceProperties dataSourceProperties) {
        HikariDataSource ds = dataSourceProperties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        // the capture writer's batched INSERTs become multi-row INSERTs (several times fewer round trips)
        ds.addDataSourceProperty("reWriteBatchedInserts", "true");
        StartupMigration.run(ds, SCHEMA_RETRY);
        return ds;
    }
}
