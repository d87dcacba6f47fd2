package com.orderintel.advisor;

import org.springframework.boot.SpringApplication;
import com.orderintel.advisor.feedback.FeedbackProperties;
import com.orderintel.advisor.metrics.MetricsProperties;
import com.orderintel.advisor.web.ApiProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;

/**
 * ai-advisor-service. PostgreSQL is optional (only the batch feature uses it, see {@code advisor.batch}), so
 * Boot's DataSource and Flyway auto-configuration are off: without a database URL the service must still serve.
 */
// No user store: callers authenticate with bearer tokens (security.SecurityConfiguration); without this exclusion
// Boot would create an in-memory user and log its generated password.
@SpringBootApplication(exclude = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
@EnableConfigurationProperties({ApiProperties.class, MetricsProperties.class, FeedbackProperties.class})
public class AdvisorApplication {
    public static void main(String[] args) {
        SpringApplication.run(AdvisorApplication.class, args);
    }
}
