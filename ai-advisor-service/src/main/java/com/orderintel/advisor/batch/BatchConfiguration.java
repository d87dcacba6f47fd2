package com.orderintel.advisor.batch;

import com.orderintel.batch.BatchInference;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import javax.sql.DataSource;
import java.io.PrintWriter;

/**
 * The batch feature: run history at {@code GET /api/v1/runs}, the last-success gauge and the optional cron
 * schedule. It shares the batch-inference library with the runner's {@code infer} command, so both write the
 * same tables the same way. On only when a database is configured (see {@code store.DatabaseConfiguration}).
 * The schedule fires on every replica; ShedLock (a lock row in PostgreSQL) lets one of them run it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url")
@EnableConfigurationProperties(BatchProperties.class)
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "${advisor.batch.lock-at-most-for:PT2H}")
public class BatchConfiguration {

    @Bean
    BatchInference batchInference(DataSource dataSource) {
        return new BatchInference(dataSource, new PrintWriter(System.out, true));
    }

    /** Locks in the shedlock table (migration V3), timed by the database clock so replicas' clocks do not matter. */
    @Bean
    LockProvider lockProvider(DataSource dataSource) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource)).usingDbTime().build());
    }
}
