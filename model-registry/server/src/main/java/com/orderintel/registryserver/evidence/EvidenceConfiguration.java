package com.orderintel.registryserver.evidence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * The capture store, read only, when {@code registry.capture.url} (REGISTRY_CAPTURE_URL) is set. The pool starts without
 * a connection and waits at most 2 s for one, so a database that is away makes the evidence sections say so instead of
 * stopping the server or hanging a page. The schema belongs to the service (capture-store's Flyway location).
 */
@Configuration(proxyBeanMethods = false)
class EvidenceConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("registry.capture.url")
    HikariDataSource captureDataSource(CaptureProperties p) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(p.url());
        c.setUsername(p.username());
        c.setPassword(p.password());
        c.setPoolName("capture-read");
        c.setMaximumPoolSize(4);
        c.setReadOnly(true);
        c.setConnectionTimeout(2_000);
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }
}
