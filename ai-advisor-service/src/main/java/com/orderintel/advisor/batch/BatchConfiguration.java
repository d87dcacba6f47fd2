package com.orderintel.advisor.batch;

import com.orderintel.batch.BatchInference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import javax.sql.DataSource;
import java.io.PrintWriter;

/**
 * The batch feature: run history at {@code GET /api/v1/runs}, the last-success gauge and the optional cron
 * schedule. It shares {@code com.orderintel.batch} with the runner's {@code infer} command, so both write the
 * same tables the same way. On only when a database is configured.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url")
@EnableConfigurationProperties(BatchProperties.class)
@EnableScheduling
public class BatchConfiguration {

    @Bean
    DataSource batchDataSource(@Value("${spring.datasource.url}") String url,
                               @Value("${spring.datasource.username:postgres}") String user,
                               @Value("${spring.datasource.password:}") String password) {
        return DataSourceBuilder.create().url(url).username(user).password(password).build();
    }

    @Bean
    BatchInference batchInference(@Value("${spring.datasource.url}") String url,
                                  @Value("${spring.datasource.username:postgres}") String user,
                                  @Value("${spring.datasource.password:}") String password) {
        BatchInference batch = new BatchInference(url, user, password, new PrintWriter(System.out, true));
        batch.migrate(); // the run-history table must exist before /api/v1/runs is asked
        return batch;
    }
}
