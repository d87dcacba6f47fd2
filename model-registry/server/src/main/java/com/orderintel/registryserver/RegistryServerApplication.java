package com.orderintel.registryserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The model registry as a service: REST API and console over the store at {@code REGISTRY_URI} and, when configured,
 * the capture store's live evidence. The capture store's DataSource is made by {@code evidence.EvidenceConfiguration}
 * only when a JDBC URL is given, so Boot's own DataSource set-up is off.
 */
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class RegistryServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RegistryServerApplication.class, args);
    }
}
