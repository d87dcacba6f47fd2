package com.orderintel.advisor.batch;

import com.orderintel.batch.BatchInference;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import javax.sql.DataSource;
import java.io.PrintWriter;

/**
 * The batch feature: run history at {@code GET /api/v1/runs}, the last-success gauge and the optional cron
 * schedule. It shares the batch-inference library with the runner's {@code infer} command, so both write the
 * same tables the same way. On only when a database is configured ({@code spring.datasource.*}, Boot's own
 * properties; Boot's DataSource auto-configuration is off because the service must run without a database).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url")
@EnableConfigurationProperties(BatchProperties.class)
@EnableScheduling
public class BatchConfiguration {

    @Bean
    @ConfigurationProperties("spring.datasource")
    DataSourceProperties batchDataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    DataSource batchDataSource(DataSourceProperties batchDataSourceProperties) {
        return batchDataSourceProperties.initializeDataSourceBuilder().build();
    }

    @Bean
    BatchInference batchInference(DataSource batchDataSource) {
        BatchInference batch = new BatchInference(batchDataSource, new PrintWriter(System.out, true));
        batch.migrate(); // the run-history table must exist before /api/v1/runs is asked
        return batch;
    }
}
