package com.orderintel.advisor.batch;

import com.orderintel.batch.BatchInference;
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
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url")
@EnableConfigurationProperties(BatchProperties.class)
@EnableScheduling
public class BatchConfiguration {

    @Bean
    BatchInference batchInference(DataSource dataSource) {
        return new BatchInference(dataSource, new PrintWriter(System.out, true)); // each run migrates the schema first
    }
}
